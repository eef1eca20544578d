import { describe, expect, it } from "vitest";
import {
  AlbumId,
  CommitFileBody,
  Email,
  FILE_ID_PATTERN,
  FileId,
  KeyBundle,
  MAX_THUMBNAIL_BYTES,
  SyncQuery,
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
