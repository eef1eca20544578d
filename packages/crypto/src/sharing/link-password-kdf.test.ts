import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../bytes.js";
import { deriveWrappingKey, newKdfParams } from "../kdf.js";
import {
  type Argon2idLinkKdfParams,
  assertLinkKdfParams,
  deriveLinkPasswordKey,
  MAX_LINK_ARGON2ID_ITERATIONS,
  MAX_LINK_ARGON2ID_MEMORY_KIB,
  newLinkKdfParams,
} from "./link-password-kdf.js";

const params: Argon2idLinkKdfParams = {
  v: 2,
  algorithm: "argon2id",
  memoryKiB: 65_536,
  iterations: 3,
  parallelism: 1,
  salt: toBase64Url(new Uint8Array(16).fill(7)),
};
const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return "accepted";
};

describe("newLinkKdfParams", () => {
  it("writes format v2: Argon2id, m = 64 MiB, t = 3, p = 1, a fresh 16-byte salt", () => {
    const a = newLinkKdfParams();
    const b = newLinkKdfParams();
    expect(a).toMatchObject({
      v: 2,
      algorithm: "argon2id",
      memoryKiB: 65_536,
      iterations: 3,
      parallelism: 1,
    });
    expect(fromBase64Url(a.salt)).toHaveLength(16);
    expect(a.salt).not.toBe(b.salt);
    expect(code(() => assertLinkKdfParams(a))).toBe("accepted");
  });
});

describe("assertLinkKdfParams", () => {
  it("accepts Argon2id from the minimum up to the caps, and v1 PBKDF2 parameters (old links)", () => {
    expect(code(() => assertLinkKdfParams(params))).toBe("accepted");
    const max = {
      ...params,
      memoryKiB: MAX_LINK_ARGON2ID_MEMORY_KIB,
      iterations: MAX_LINK_ARGON2ID_ITERATIONS,
    };
    expect(code(() => assertLinkKdfParams(max))).toBe("accepted");
    expect(code(() => assertLinkKdfParams(newKdfParams()))).toBe("accepted");
  });

  it("refuses downgrades with WEAK_KDF_PARAMS", () => {
    for (const weak of [
      { ...params, memoryKiB: 65_535 },
      { ...params, iterations: 2 },
      { ...params, salt: toBase64Url(new Uint8Array(15)) },
      { ...params, algorithm: "argon2i" },
      { ...params, algorithm: undefined },
      { ...newKdfParams(), iterations: 599_999 },
    ]) {
      expect(
        code(() => assertLinkKdfParams(weak)),
        JSON.stringify(weak),
      ).toBe("WEAK_KDF_PARAMS");
    }
  });

  it("refuses absurd or malformed parameters with INVALID_INPUT, other format versions with UNSUPPORTED_VERSION", () => {
    for (const bad of [
      null,
      "argon2id",
      { ...params, memoryKiB: MAX_LINK_ARGON2ID_MEMORY_KIB + 1 },
      { ...params, memoryKiB: 2 ** 32 },
      { ...params, iterations: MAX_LINK_ARGON2ID_ITERATIONS + 1 },
      { ...params, iterations: 3.5 },
      { ...params, memoryKiB: "65536" },
      { ...params, parallelism: 2 },
      { ...params, parallelism: 0 },
      { ...params, salt: toBase64Url(new Uint8Array(17)) },
      { ...params, salt: "not base64url!" },
      { ...params, salt: 16 },
    ]) {
      expect(
        code(() => assertLinkKdfParams(bad)),
        JSON.stringify(bad),
      ).toBe("INVALID_INPUT");
    }
    for (const other of [
      { ...params, v: 1 },
      { ...params, v: 3 },
      { ...params, v: undefined },
    ]) {
      expect(
        code(() => assertLinkKdfParams(other)),
        JSON.stringify(other),
      ).toBe("UNSUPPORTED_VERSION");
    }
  });
});

describe("deriveLinkPasswordKey", () => {
  it("Argon2id of the NFKC-normalized password: composed and decomposed forms agree, other passwords and salts differ", async () => {
    const composed = await deriveLinkPasswordKey("Z\u00fcrich", params);
    expect(composed).toHaveLength(32);
    expect(await deriveLinkPasswordKey("Zu\u0308rich", params)).toEqual(composed);
    expect(await deriveLinkPasswordKey("Zurich", params)).not.toEqual(composed);
    const otherSalt = { ...params, salt: toBase64Url(new Uint8Array(16).fill(8)) };
    expect(await deriveLinkPasswordKey("Z\u00fcrich", otherSalt)).not.toEqual(composed);
  });

  it("v1 parameters derive exactly SPEC §3's PBKDF2 key", async () => {
    const kdf = newKdfParams();
    expect(await deriveLinkPasswordKey("pw", kdf)).toEqual(await deriveWrappingKey("pw", kdf));
  });

  it("refuses an empty password and bad parameters before deriving", async () => {
    await expect(deriveLinkPasswordKey("", params)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(deriveLinkPasswordKey("pw", { ...params, memoryKiB: 1024 })).rejects.toMatchObject({
      code: "WEAK_KDF_PARAMS",
    });
  });
});
