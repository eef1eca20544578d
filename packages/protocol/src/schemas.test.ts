import * as formats from "@umbra/crypto/formats";
import { describe, expect, it } from "vitest";
import {
  ALBUM_ID_PATTERN,
  AlbumId,
  CommitFileBody,
  CreateLinkBody,
  Email,
  FILE_ID_PATTERN,
  FileId,
  KdfParams,
  KeyBundle,
  LinkKdfParams,
  MAX_THUMBNAIL_BYTES,
  PublicLinkResponse,
  SyncQuery,
  USER_ID_PATTERN,
  UserId,
} from "./index.js";

const id = (prefix: string) =>
  `${prefix}_${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url")}`;

describe("identifiers", () => {
  it("accepts client-generated ids and rejects wrong prefixes, lengths and alphabets", () => {
    expect(FileId.safeParse(id("f")).success).toBe(true);
    expect(AlbumId.safeParse(id("a")).success).toBe(true);
    expect(UserId.safeParse(id("u")).success).toBe(true);
    for (const bad of [
      id("a"),
      "f_short",
      `${id("f")}x`,
      "f_AAAAAAAAAAAAAAAAAAAA+/",
      "f_AAAAAAAAAAAAAAAAAAAAA=",
    ]) {
      expect(FileId.safeParse(bad).success, bad).toBe(false);
    }
    expect(FILE_ID_PATTERN.test(id("f"))).toBe(true);
  });

  it("takes the id shapes from @umbra/crypto/formats, their one owner", () => {
    expect(USER_ID_PATTERN).toBe(formats.USER_ID_PATTERN);
    expect(ALBUM_ID_PATTERN).toBe(formats.ALBUM_ID_PATTERN);
    expect(FILE_ID_PATTERN).toBe(formats.FILE_ID_PATTERN);
  });
});

describe("password KDF parameters", () => {
  const salt = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64url");
  const params = { algorithm: formats.KDF_ALGORITHM, iterations: formats.MIN_KDF_ITERATIONS, salt: salt(32) };

  it("accepts what a client makes", () => {
    expect(KdfParams.parse(params)).toEqual(params);
  });

  // Below the security minimum but inside the wire bounds must pass: the client refuses it as WEAK_KDF_PARAMS.
  it("checks the wire bounds of @umbra/crypto/formats, which hold the security minimum", () => {
    const ok = (change: Partial<typeof params>) => KdfParams.safeParse({ ...params, ...change }).success;
    expect(formats.WIRE_MIN_KDF_ITERATIONS).toBeLessThan(formats.MIN_KDF_ITERATIONS);
    expect(formats.WIRE_MAX_KDF_ITERATIONS).toBeGreaterThan(formats.MAX_KDF_ITERATIONS);
    expect(ok({ iterations: formats.WIRE_MIN_KDF_ITERATIONS })).toBe(true);
    expect(ok({ iterations: formats.WIRE_MIN_KDF_ITERATIONS - 1 })).toBe(false);
    expect(ok({ iterations: formats.WIRE_MAX_KDF_ITERATIONS })).toBe(true);
    expect(ok({ iterations: formats.WIRE_MAX_KDF_ITERATIONS + 1 })).toBe(false);
    expect(ok({ salt: salt(formats.WIRE_MIN_KDF_SALT_LENGTH) })).toBe(true);
    expect(ok({ salt: salt(formats.WIRE_MIN_KDF_SALT_LENGTH - 1) })).toBe(false);
    expect(ok({ salt: salt(formats.WIRE_MAX_KDF_SALT_LENGTH) })).toBe(true);
    expect(ok({ salt: salt(formats.WIRE_MAX_KDF_SALT_LENGTH + 1) })).toBe(false);
  });
});

describe("bodies", () => {
  it("normalizes emails and refuses non-emails", () => {
    expect(Email.parse("  Alice@Example.COM ")).toBe("alice@example.com");
    expect(Email.safeParse("not an email").success).toBe(false);
  });

  it("requires the key bundle shape with null sharing keys", () => {
    const bundle = {
      version: 1,
      userId: id("u"),
      kdf: { algorithm: "PBKDF2-SHA256", iterations: 600_000, salt: "A".repeat(43) },
      passwordWrappedMasterKey: "abc",
      recoveryWrappedMasterKey: "def",
      publicKeys: null,
      wrappedPrivateKeys: null,
    };
    expect(KeyBundle.parse(bundle)).toEqual(bundle);
    expect(KeyBundle.safeParse({ ...bundle, kdf: { ...bundle.kdf, algorithm: "MD5" } }).success).toBe(false);
    expect(KeyBundle.safeParse({ ...bundle, passwordWrappedMasterKey: "padded==" }).success).toBe(false);
  });

  it("caps thumbnails at 2 MiB of ciphertext", () => {
    const chars = (bytes: number) => Buffer.alloc(bytes).toString("base64url");
    const body = (grid: string) => ({
      id: id("f"),
      uploadId: "0".repeat(32),
      albumId: id("a"),
      wrappedFileKey: "k",
      encryptedMetadata: "m",
      thumbnails: { grid, preview: "AA" },
    });
    expect(CommitFileBody.safeParse(body(chars(MAX_THUMBNAIL_BYTES))).success).toBe(true);
    expect(CommitFileBody.safeParse(body(chars(MAX_THUMBNAIL_BYTES + 3))).success).toBe(false);
  });

  it("defaults and bounds the sync query", () => {
    expect(SyncQuery.parse({})).toEqual({ since: "0", limit: 200 });
    expect(SyncQuery.parse({ since: "42", limit: "10" })).toEqual({ since: "42", limit: 10 });
    expect(SyncQuery.safeParse({ since: "-1" }).success).toBe(false);
    expect(SyncQuery.safeParse({ limit: "0" }).success).toBe(false);
  });
});

describe("link password parameters (SPEC §18)", () => {
  const pbkdf2 = { algorithm: "PBKDF2-SHA256", iterations: 600_000, salt: "A".repeat(43) };
  const argon2id = {
    v: 2,
    algorithm: "argon2id",
    memoryKiB: 65_536,
    iterations: 3,
    parallelism: 1,
    salt: "A".repeat(22),
  };

  it("accepts v2 Argon2id and the v1 PBKDF2 objects older links store, in link bodies and answers", () => {
    expect(LinkKdfParams.parse(argon2id)).toEqual(argon2id);
    expect(LinkKdfParams.parse(pbkdf2)).toEqual(pbkdf2);
    const body = {
      id: `l_${"A".repeat(22)}`,
      kind: "file",
      targetId: id("f"),
      wrappedKey: "AQ",
      keyVersion: 1,
      expiresAt: null,
      allowDownload: true,
    };
    for (const kdf of [argon2id, pbkdf2, null]) {
      expect(CreateLinkBody.parse({ ...body, kdf }).kdf).toEqual(kdf);
    }
    const answer = { ...body, targetId: body.targetId, album: null, keyChain: [], files: [] };
    expect(PublicLinkResponse.parse({ ...answer, expiresAt: null, kdf: pbkdf2 }).kdf).toEqual(pbkdf2);
    expect(PublicLinkResponse.parse({ ...answer, expiresAt: null, kdf: argon2id }).kdf).toEqual(argon2id);
  });

  it("leaves the client's bounds to the client, but refuses other shapes; the account bundle stays PBKDF2-only", () => {
    // Weak or unknown-version values still parse: the visitor's client refuses them with a typed error.
    expect(LinkKdfParams.safeParse({ ...argon2id, memoryKiB: 1024, v: 3 }).success).toBe(true);
    for (const bad of [
      { ...argon2id, algorithm: "argon2i" },
      { ...argon2id, memoryKiB: 65_536.5 },
      { ...argon2id, salt: "padded==" },
      { ...pbkdf2, algorithm: undefined },
      { ...argon2id, v: undefined },
    ]) {
      expect(LinkKdfParams.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    const bundle = {
      version: 1,
      userId: id("u"),
      kdf: argon2id,
      passwordWrappedMasterKey: "abc",
      recoveryWrappedMasterKey: "def",
      publicKeys: null,
      wrappedPrivateKeys: null,
    };
    expect(KeyBundle.safeParse(bundle).success).toBe(false);
  });
});
