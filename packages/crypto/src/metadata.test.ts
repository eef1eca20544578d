import { describe, expect, it } from "vitest";
import { InvalidInputError, TamperedError, UnsupportedVersionError } from "./errors.js";
import { METADATA_MIME_MAX_LENGTH, METADATA_NAME_MAX_LENGTH } from "./formats.js";
import { generateAlbumKey, generateFileKey } from "./master-key.js";
import {
  decryptAlbumName,
  decryptMetadata,
  decryptThumbnail,
  encryptAlbumName,
  encryptMetadata,
  encryptThumbnail,
} from "./metadata.js";
import type { FileMetadata } from "./metadata-schema.js";
import { padmeLength } from "./padding.js";

const metadata: FileMetadata = {
  name: "IMG_0001.HEIC",
  mime: "image/heic",
  size: 2_345_678,
  width: 4032,
  height: 3024,
  takenAt: "2024-07-14T18:03:11.000Z",
  camera: { make: "Apple", model: "iPhone 15" },
  lens: "iPhone 15 back camera 6.86mm f/1.6",
  gps: { lat: 48.8584, lon: 2.2945, alt: 35 },
  exif: { ISO: 64, ExposureTime: "1/120" },
  durationSec: undefined,
  contentDigest: "abc",
  extra: { favorite: true },
};

describe("metadata encryption", () => {
  it("round-trips and hides the exact size", async () => {
    const key = generateFileKey();
    const blob = await encryptMetadata(key, "f_1", metadata);
    const json = JSON.stringify(metadata);
    expect(blob.length).toBe(1 + 12 + padmeLength(4 + new TextEncoder().encode(json).length) + 16);
    expect(await decryptMetadata(key, "f_1", blob)).toEqual(JSON.parse(json));
  });
  it("detects a blob moved to another file, a wrong key, a flipped bit, an unknown version", async () => {
    const key = generateFileKey();
    const blob = await encryptMetadata(key, "f_1", metadata);
    await expect(decryptMetadata(key, "f_2", blob)).rejects.toThrow(TamperedError);
    await expect(decryptMetadata(generateFileKey(), "f_1", blob)).rejects.toThrow(TamperedError);
    const flipped = blob.slice();
    flipped[20]! ^= 0x40;
    await expect(decryptMetadata(key, "f_1", flipped)).rejects.toThrow(TamperedError);
    const future = blob.slice();
    future[0] = 2;
    await expect(decryptMetadata(key, "f_1", future)).rejects.toThrow(UnsupportedVersionError);
  });
  it("rejects invalid metadata before encrypting", async () => {
    const key = generateFileKey();
    const bad = [
      { ...metadata, name: "" },
      { ...metadata, name: "n".repeat(METADATA_NAME_MAX_LENGTH + 1) },
      { ...metadata, mime: "m".repeat(METADATA_MIME_MAX_LENGTH + 1) },
      { ...metadata, size: -1 },
      { ...metadata, takenAt: "yesterday" },
      { ...metadata, gps: { lat: 91, lon: 0 } },
      { ...metadata, camera: "Apple" },
      { mime: "image/png", size: 1 },
    ];
    const longest = {
      ...metadata,
      name: "n".repeat(METADATA_NAME_MAX_LENGTH),
      mime: "m".repeat(METADATA_MIME_MAX_LENGTH),
    };
    expect(await decryptMetadata(key, "f_1", await encryptMetadata(key, "f_1", longest))).toEqual(
      JSON.parse(JSON.stringify(longest)),
    );
    for (const value of bad) {
      await expect(encryptMetadata(key, "f_1", value as unknown as FileMetadata)).rejects.toThrow(
        InvalidInputError,
      );
    }
  });
});

describe("thumbnail encryption", () => {
  it("round-trips and binds file and variant", async () => {
    const key = generateFileKey();
    const jpeg = new Uint8Array(5000).map((_, i) => i * 7);
    const grid = await encryptThumbnail(key, "f_1", "grid", jpeg);
    expect(await decryptThumbnail(key, "f_1", "grid", grid)).toEqual(jpeg);
    await expect(decryptThumbnail(key, "f_1", "preview", grid)).rejects.toThrow(TamperedError);
    await expect(decryptThumbnail(key, "f_2", "grid", grid)).rejects.toThrow(TamperedError);
    // A metadata blob is not accepted as a thumbnail (different subkey and associated data).
    const meta = await encryptMetadata(key, "f_1", metadata);
    await expect(decryptThumbnail(key, "f_1", "grid", meta)).rejects.toThrow(TamperedError);
    await expect(encryptThumbnail(key, "f_1", "huge" as "grid", jpeg)).rejects.toThrow(InvalidInputError);
  });
});

describe("album name encryption", () => {
  it("round-trips and binds the album id", async () => {
    const key = generateAlbumKey();
    const blob = await encryptAlbumName(key, "a_1", "Été 2024 🌞");
    expect(await decryptAlbumName(key, "a_1", blob)).toBe("Été 2024 🌞");
    expect(await decryptAlbumName(key, "a_1", await encryptAlbumName(key, "a_1", ""))).toBe("");
    await expect(decryptAlbumName(key, "a_2", blob)).rejects.toThrow(TamperedError);
    await expect(decryptAlbumName(generateAlbumKey(), "a_1", blob)).rejects.toThrow(TamperedError);
  });
});
