import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../bytes.js";
import { generateMasterKey } from "../master-key.js";
import { generateIdentity, unwrapIdentityPrivateKeys, wrapIdentityPrivateKeys } from "./identity.js";

const USER = "u_AAAAAAAAAAAAAAAAAAAAAA";
const OTHER = "u_BBBBBBBBBBBBBBBBBBBBBA";

describe("identity keys", () => {
  it("generates X-Wing and Ed25519 key pairs of the expected sizes, fresh each time", async () => {
    const a = await generateIdentity();
    const b = await generateIdentity();
    expect(a.hpke.publicKey.length).toBe(1216);
    expect(a.hpke.privateKey.length).toBe(32);
    expect(a.signing.publicKey.length).toBe(32);
    expect(a.signing.privateKey.length).toBe(32);
    expect(a.hpke.publicKey).not.toEqual(b.hpke.publicKey);
    expect(a.signing.publicKey).not.toEqual(b.signing.publicKey);
  });

  it("round-trips the private keys through the master-key wrap and recomputes the public keys", async () => {
    const identity = await generateIdentity();
    const masterKey = generateMasterKey();
    const wrapped = await wrapIdentityPrivateKeys(masterKey, USER, identity);
    expect(wrapped.version).toBe(1);
    expect(fromBase64Url(wrapped.hpkePrivateKey).length).toBe(61);
    expect(await unwrapIdentityPrivateKeys(masterKey, USER, wrapped)).toEqual(identity);
  });

  it("rejects another master key, another user and swapped key fields with TAMPERED", async () => {
    const identity = await generateIdentity();
    const masterKey = generateMasterKey();
    const wrapped = await wrapIdentityPrivateKeys(masterKey, USER, identity);
    await expect(unwrapIdentityPrivateKeys(generateMasterKey(), USER, wrapped)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    await expect(unwrapIdentityPrivateKeys(masterKey, OTHER, wrapped)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    const swapped = {
      ...wrapped,
      hpkePrivateKey: wrapped.signingPrivateKey,
      signingPrivateKey: wrapped.hpkePrivateKey,
    };
    await expect(unwrapIdentityPrivateKeys(masterKey, USER, swapped)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    const flipped = fromBase64Url(wrapped.signingPrivateKey);
    flipped[20]! ^= 1;
    await expect(
      unwrapIdentityPrivateKeys(masterKey, USER, { ...wrapped, signingPrivateKey: toBase64Url(flipped) }),
    ).rejects.toMatchObject({ code: "TAMPERED" });
  });

  it("rejects an unknown bundle version", async () => {
    const identity = await generateIdentity();
    const masterKey = generateMasterKey();
    const wrapped = await wrapIdentityPrivateKeys(masterKey, USER, identity);
    await expect(
      unwrapIdentityPrivateKeys(masterKey, USER, { ...wrapped, version: 2 as 1 }),
    ).rejects.toMatchObject({ code: "UNSUPPORTED_VERSION" });
  });
});
