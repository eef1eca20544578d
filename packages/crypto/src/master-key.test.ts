import { describe, expect, it } from "vitest";
import { toBase64Url } from "./bytes.js";
import { TamperedError, UnsupportedVersionError, WeakKdfParamsError, WrongPasswordError } from "./errors.js";
import { deriveWrappingKey, newKdfParams } from "./kdf.js";
import { passwordMasterKeyContext } from "./key-context.js";
import {
  generateAlbumKey,
  generateFileKey,
  generateMasterKey,
  unwrapMasterKeyWithPassword,
  wrapMasterKeyWithPassword,
} from "./master-key.js";
import { unwrapKey } from "./wrap.js";

describe("key generation", () => {
  it("returns distinct 32-byte keys", () => {
    const keys = [generateMasterKey(), generateAlbumKey(), generateFileKey()];
    for (const key of keys) expect(key).toHaveLength(32);
    expect(new Set(keys.map(toBase64Url)).size).toBe(3);
  });
});

describe("password-wrapped master key", () => {
  it("round-trips, and a password change re-wraps the same master key", async () => {
    const master = generateMasterKey();
    const bundle = await wrapMasterKeyWithPassword(master, "correct horse", "u_alice");
    expect(bundle.kdf.iterations).toBe(600_000);
    expect(await unwrapMasterKeyWithPassword(bundle, "correct horse", "u_alice")).toEqual(master);
    const changed = await wrapMasterKeyWithPassword(master, "new password", "u_alice");
    expect(changed.kdf.salt).not.toBe(bundle.kdf.salt);
    expect(await unwrapMasterKeyWithPassword(changed, "new password", "u_alice")).toEqual(master);
    await expect(unwrapMasterKeyWithPassword(changed, "correct horse", "u_alice")).rejects.toThrow(
      WrongPasswordError,
    );
  });
  it("maps a wrong password or user to WRONG_PASSWORD, keeps the plain unwrap TAMPERED", async () => {
    const kdf = newKdfParams();
    const bundle = await wrapMasterKeyWithPassword(generateMasterKey(), "pw-1", "u_alice", kdf);
    expect(bundle.kdf).toEqual(kdf);
    await expect(unwrapMasterKeyWithPassword(bundle, "pw-2", "u_alice")).rejects.toThrow(WrongPasswordError);
    await expect(unwrapMasterKeyWithPassword(bundle, "pw-1", "u_bob")).rejects.toThrow(WrongPasswordError);
    const kek = await deriveWrappingKey("pw-1", kdf);
    await expect(unwrapKey(kek, bundle.wrapped, passwordMasterKeyContext("u_bob"))).rejects.toThrow(
      TamperedError,
    );
  });
  it("refuses downgraded KDF parameters from the server before trying the password", async () => {
    const bundle = await wrapMasterKeyWithPassword(generateMasterKey(), "pw", "u_alice");
    await expect(
      unwrapMasterKeyWithPassword(
        { ...bundle, kdf: { ...bundle.kdf, iterations: 100_000 } },
        "pw",
        "u_alice",
      ),
    ).rejects.toThrow(WeakKdfParamsError);
    await expect(
      wrapMasterKeyWithPassword(generateMasterKey(), "pw", "u_alice", { ...bundle.kdf, iterations: 10 }),
    ).rejects.toThrow(WeakKdfParamsError);
  });
  it("passes an unknown version through", async () => {
    const bundle = await wrapMasterKeyWithPassword(generateMasterKey(), "pw", "u_alice");
    const wrapped = bundle.wrapped.slice();
    wrapped[0] = 9;
    await expect(unwrapMasterKeyWithPassword({ ...bundle, wrapped }, "pw", "u_alice")).rejects.toThrow(
      UnsupportedVersionError,
    );
  });
});
