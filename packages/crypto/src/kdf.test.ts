import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "./bytes.js";
import { InvalidInputError, WeakKdfParamsError } from "./errors.js";
import { assertKdfParams, deriveWrappingKey, type KdfParams, newKdfParams } from "./kdf.js";

const salt = toBase64Url(new Uint8Array(32).fill(7));
const params: KdfParams = { algorithm: "PBKDF2-SHA256", iterations: 600_000, salt };

describe("newKdfParams", () => {
  it("gives the v1 minimum with a fresh 32-byte salt", () => {
    const a = newKdfParams();
    const b = newKdfParams();
    expect(a.algorithm).toBe("PBKDF2-SHA256");
    expect(a.iterations).toBe(600_000);
    expect(fromBase64Url(a.salt)).toHaveLength(32);
    expect(a.salt).not.toBe(b.salt);
    expect(() => assertKdfParams(a)).not.toThrow();
  });
});

describe("assertKdfParams", () => {
  it("rejects downgrades with WEAK_KDF_PARAMS", () => {
    for (const weak of [
      { ...params, iterations: 100_000 },
      { ...params, iterations: 599_999 },
      { ...params, salt: toBase64Url(new Uint8Array(16)) },
      { ...params, algorithm: "PBKDF2-SHA1" },
    ]) {
      expect(() => assertKdfParams(weak)).toThrow(WeakKdfParamsError);
    }
  });
  it("rejects malformed parameters with INVALID_INPUT", () => {
    for (const bad of [
      null,
      { ...params, iterations: 600_000.5 },
      { ...params, iterations: "600000" },
      { ...params, iterations: 1e9 },
      { ...params, salt: "not base64!" },
    ]) {
      expect(() => assertKdfParams(bad)).toThrow(InvalidInputError);
    }
  });
  it("accepts stronger parameters", () => {
    expect(() => assertKdfParams({ ...params, iterations: 1_000_000 })).not.toThrow();
  });
});

describe("deriveWrappingKey", () => {
  it("matches an independent PBKDF2 and normalizes the password with NFKC", async () => {
    const { pbkdf2 } = await import("@noble/hashes/pbkdf2.js");
    const { sha256 } = await import("@noble/hashes/sha2.js");
    const key = await deriveWrappingKey("ﬁsh Å", params);
    const expected = pbkdf2(sha256, new TextEncoder().encode("fish Å"), fromBase64Url(salt), {
      c: 600_000,
      dkLen: 32,
    });
    expect(key).toEqual(expected);
    // "A" + combining ring (NFD) derives the same key as the precomposed form.
    expect(await deriveWrappingKey("fish A\u030a", params)).toEqual(key);
    expect(await deriveWrappingKey("fish Å!", params)).not.toEqual(key);
  });
  it("refuses weak parameters before deriving and an empty password", async () => {
    await expect(deriveWrappingKey("pw", { ...params, iterations: 1 })).rejects.toThrow(WeakKdfParamsError);
    await expect(deriveWrappingKey("", params)).rejects.toThrow(InvalidInputError);
  });
});
