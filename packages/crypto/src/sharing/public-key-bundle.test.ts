import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../bytes.js";
import { generateIdentity } from "./identity.js";
import { signPublicKeyBundle, verifyPublicKeyBundle } from "./public-key-bundle.js";

const USER = "u_AAAAAAAAAAAAAAAAAAAAAA";
const OTHER = "u_BBBBBBBBBBBBBBBBBBBBBA";

describe("public key bundle", () => {
  it("verifies a bundle signed by its own key and returns the keys as bytes", async () => {
    const identity = await generateIdentity();
    const bundle = await signPublicKeyBundle(identity, USER);
    expect(bundle).toMatchObject({ version: 1, userId: USER });
    const keys = await verifyPublicKeyBundle(
      JSON.parse(JSON.stringify(bundle)),
      USER,
      identity.signing.publicKey,
    );
    expect(keys).toEqual({
      userId: USER,
      hpkePublicKey: identity.hpke.publicKey,
      signingPublicKey: identity.signing.publicKey,
    });
  });

  it("rejects a substituted HPKE key, another user's bundle, a changed userId and a missing signature", async () => {
    const identity = await generateIdentity();
    const attacker = await generateIdentity();
    const bundle = await signPublicKeyBundle(identity, USER);
    const substituted = { ...bundle, hpkePublicKey: toBase64Url(attacker.hpke.publicKey) };
    await expect(verifyPublicKeyBundle(substituted, USER)).rejects.toMatchObject({ code: "TAMPERED" });
    await expect(verifyPublicKeyBundle(bundle, OTHER)).rejects.toMatchObject({ code: "TAMPERED" });
    await expect(verifyPublicKeyBundle({ ...bundle, userId: OTHER }, OTHER)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    await expect(verifyPublicKeyBundle({ ...bundle, signature: undefined }, USER)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    const sig = fromBase64Url(bundle.signature);
    sig[0]! ^= 0x80;
    await expect(
      verifyPublicKeyBundle({ ...bundle, signature: toBase64Url(sig) }, USER),
    ).rejects.toMatchObject({
      code: "TAMPERED",
    });
  });

  it("rejects a whole bundle re-signed by another key when the signing key is pinned", async () => {
    const identity = await generateIdentity();
    const attacker = await generateIdentity();
    const forged = await signPublicKeyBundle(attacker, USER);
    // Self-consistent, so only the pin catches it.
    await expect(verifyPublicKeyBundle(forged, USER)).resolves.toBeDefined();
    await expect(verifyPublicKeyBundle(forged, USER, identity.signing.publicKey)).rejects.toMatchObject({
      code: "TAMPERED",
    });
  });

  it("rejects malformed bundles with INVALID_INPUT or UNSUPPORTED_VERSION", async () => {
    const bundle = await signPublicKeyBundle(await generateIdentity(), USER);
    await expect(verifyPublicKeyBundle(null, USER)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(verifyPublicKeyBundle({ ...bundle, version: 2 }, USER)).rejects.toMatchObject({
      code: "UNSUPPORTED_VERSION",
    });
    await expect(verifyPublicKeyBundle({ ...bundle, hpkePublicKey: "AAAA" }, USER)).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });
});
