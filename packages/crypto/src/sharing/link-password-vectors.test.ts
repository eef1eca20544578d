import { readFileSync } from "node:fs";
import { argon2id as nobleArgon2id } from "@noble/hashes/argon2.js";
import sodium from "libsodium-wrappers-sumo";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fromBase64Url, fromHex, toHex, utf8Encode } from "../bytes.js";
import { UmbraCryptoError } from "../errors.js";
import { replay } from "../vector-randomness.js";
import { deriveLinkPasswordKey, newLinkKdfParamsWith } from "./link-password-kdf.js";
import {
  deriveLinkKeys,
  generateLinkSecretWith,
  linkKeyAssociatedData,
  unwrapKeyForLink,
  wrapKeyForLinkWith,
} from "./public-link.js";

// biome-ignore lint/suspicious/noExplicitAny: the vector file is untyped JSON, checked field by field below.
type Json = any;
const file: Json = JSON.parse(
  readFileSync(new URL("../../test-vectors/sharing/link-password.json", import.meta.url), "utf8"),
);
const hex = (bytes: Uint8Array) => toHex(bytes);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("link password vectors (format v2, Argon2id)", () => {
  it("has the v2 header and one link with the real parameters", () => {
    expect(file.version).toBe(2);
    expect(file.generator).toBe("packages/crypto/scripts/generate-link-password-vectors.ts");
    expect(file.links).toHaveLength(1);
    expect(file.links[0].password.kdf).toMatchObject({
      v: 2,
      algorithm: "argon2id",
      memoryKiB: 65_536,
      iterations: 3,
      parallelism: 1,
    });
  });

  it("re-derives the link, opens the wrapped key and re-wraps it byte for byte", async () => {
    for (const v of file.links) {
      const secretRandom = replay(v.secretRandom);
      expect(generateLinkSecretWith(secretRandom)).toBe(v.secret);
      const { linkId, linkKey } = await deriveLinkKeys(v.secret);
      expect(linkId).toBe(v.linkId);
      expect(hex(linkKey)).toBe(v.linkKey);
      expect(hex(linkKeyAssociatedData(v.target.purpose, v.target.linkId, v.target.objectId))).toBe(
        v.associatedData,
      );
      expect(hex(await deriveLinkPasswordKey(v.password.password, v.password.kdf))).toBe(v.passwordKey);
      expect(hex(await unwrapKeyForLink(linkKey, fromHex(v.wrapped), v.target, v.password))).toBe(v.key);
      // Draws: the Argon2id salt (newLinkKdfParams), then the envelope's IV.
      const saltRandom = replay(v.random.slice(0, 1));
      expect(newLinkKdfParamsWith(saltRandom)).toEqual(v.password.kdf);
      const random = replay(v.random.slice(1));
      expect(hex(await wrapKeyForLinkWith(random, linkKey, fromHex(v.key), v.target, v.password))).toBe(
        v.wrapped,
      );
      expect(random.rest()).toBe(0);
    }
  });

  it("matches an independent Argon2id (@noble/hashes) and plain Web Crypto HKDF and AES-GCM", async () => {
    for (const v of file.links) {
      const passwordBytes = utf8Encode(v.password.password.normalize("NFKC"));
      expect(hex(passwordBytes)).toBe(v.passwordUtf8Nfkc);
      expect(v.password.password).not.toBe(v.password.password.normalize("NFKC"));
      const { memoryKiB, iterations, parallelism, salt } = v.password.kdf;
      const argon = nobleArgon2id(passwordBytes, fromBase64Url(salt), {
        m: memoryKiB,
        t: iterations,
        p: parallelism,
        dkLen: 32,
      });
      expect(hex(argon)).toBe(v.passwordKey);

      const ikm = await crypto.subtle.importKey(
        "raw",
        new Uint8Array([...fromHex(v.linkKey), ...argon]) as BufferSource,
        "HKDF",
        false,
        ["deriveBits"],
      );
      const bits = await crypto.subtle.deriveBits(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(0),
          info: fromHex(v.passwordKeyInfo) as BufferSource,
        },
        ikm,
        256,
      );
      expect(hex(new Uint8Array(bits))).toBe(v.wrappingKey);

      const wrapped = fromHex(v.wrapped);
      expect(wrapped[0]).toBe(0x01);
      const aes = await crypto.subtle.importKey("raw", bits, "AES-GCM", false, ["decrypt"]);
      const opened = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: wrapped.subarray(1, 13) as BufferSource,
          additionalData: fromHex(v.associatedData) as BufferSource,
        },
        aes,
        wrapped.subarray(13) as BufferSource,
      );
      expect(hex(new Uint8Array(opened))).toBe(v.key);
    }
  });

  it("fails every negative vector with its typed error; refused parameters never reach Argon2id", async () => {
    expect(file.negative.length).toBeGreaterThanOrEqual(10);
    const codes = new Set(file.negative.map((v: Json) => v.error));
    expect([...codes].sort()).toEqual([
      "INVALID_INPUT",
      "UNSUPPORTED_VERSION",
      "WEAK_KDF_PARAMS",
      "WRONG_PASSWORD",
    ]);
    await sodium.ready;
    const pwhash = vi.spyOn(sodium, "crypto_pwhash");
    for (const v of file.negative) {
      expect(v.operation).toBe("unwrapKeyForLink");
      pwhash.mockClear();
      let caught: unknown;
      try {
        const i = v.input;
        await unwrapKeyForLink(fromHex(i.linkKey), fromHex(i.wrapped), i.target, i.password);
      } catch (error) {
        caught = error;
      }
      expect(caught, v.description).toBeInstanceOf(UmbraCryptoError);
      expect((caught as UmbraCryptoError).code, v.description).toBe(v.error);
      const argon2idRuns =
        v.input.password.kdf.algorithm === "argon2id" && v.error === "WRONG_PASSWORD" ? 1 : 0;
      expect(pwhash, v.description).toHaveBeenCalledTimes(argon2idRuns);
    }
  });
});
