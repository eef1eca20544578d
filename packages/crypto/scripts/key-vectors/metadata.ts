import { toHex, utf8Encode } from "../../src/bytes.js";
import { hkdfSha256 } from "../../src/hkdf.js";
import { generateIdWith } from "../../src/ids.js";
import { generateKeyWith } from "../../src/master-key.js";
import {
  ALBUM_NAME_KEY_INFO,
  blobAssociatedData,
  decryptAlbumName,
  decryptMetadata,
  decryptThumbnail,
  encryptAlbumNameWith,
  encryptMetadataWith,
  encryptThumbnailWith,
  METADATA_KEY_INFO,
  THUMBNAIL_KEY_INFO,
} from "../../src/metadata.js";
import type { FileMetadata } from "../../src/metadata-schema.js";
import { encodePaddedBlob } from "../../src/padding.js";
import { recorder, seededRandom } from "../../src/vector-randomness.js";
import { flipBit, fromHexOf, negative, withVersion, write } from "./common.js";

export async function metadataVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/metadata"));
  const fileKey = generateKeyWith(rng.random);
  const albumKey = generateKeyWith(rng.random);
  rng.take();
  const fileId = generateIdWith(seededRandom("metadata/file"), "f");
  const otherFileId = generateIdWith(seededRandom("metadata/other-file"), "f");
  const albumId = generateIdWith(seededRandom("metadata/album"), "a");
  const samples: FileMetadata[] = [
    { name: "a.png", mime: "image/png", size: 0 },
    {
      name: "IMG_2041.HEIC",
      mime: "image/heic",
      size: 3_145_728,
      width: 4032,
      height: 3024,
      takenAt: "2024-07-14T18:03:11.000Z",
      camera: { make: "Apple", model: "iPhone 15" },
      lens: "iPhone 15 back camera 6.86mm f/1.6",
      gps: { lat: 48.8584, lon: 2.2945, alt: 35.2 },
      exif: { ISO: 64, ExposureTime: "1/120", FNumber: 1.6 },
      contentDigest: "q3Vh0Zl1yC0b5Qk4s2i1oXyS8xFhYbkQd5Hc1vYxZ0E",
      extra: { favorite: true, rating: 4 },
    },
    { name: "Été à Paris 🎬.mov", mime: "video/quicktime", size: 987_654_321, durationSec: 61.5 },
  ];
  const metadata = [];
  for (const sample of samples) {
    const blob = await encryptMetadataWith(rng.random, fileKey, fileId, sample);
    metadata.push({
      fileKey: toHex(fileKey),
      fileId,
      metadata: sample,
      plaintextJson: JSON.stringify(sample),
      subkey: toHex(await hkdfSha256(fileKey, new Uint8Array(0), utf8Encode(METADATA_KEY_INFO))),
      associatedData: toHex(blobAssociatedData.metadata(fileId)),
      paddedPlaintext: toHex(encodePaddedBlob(utf8Encode(JSON.stringify(sample)))),
      random: rng.take(),
      blob: toHex(blob),
    });
  }
  const thumbnails = [];
  const thumbBlobs: Uint8Array[] = [];
  for (const [variant, length] of [
    ["grid", 300],
    ["preview", 1000],
  ] as const) {
    const bytes = seededRandom(`metadata/thumbnail/${variant}`)(length);
    const blob = await encryptThumbnailWith(rng.random, fileKey, fileId, variant, bytes);
    thumbBlobs.push(blob);
    thumbnails.push({
      fileKey: toHex(fileKey),
      fileId,
      variant,
      thumbnail: toHex(bytes),
      subkey: toHex(await hkdfSha256(fileKey, new Uint8Array(0), utf8Encode(THUMBNAIL_KEY_INFO))),
      associatedData: toHex(blobAssociatedData.thumbnail(fileId, variant)),
      random: rng.take(),
      blob: toHex(blob),
    });
  }
  const albumNames = [];
  let albumBlob: Uint8Array = new Uint8Array(0);
  for (const name of ["Library", "", "Vacances d'été 2024 🌞"]) {
    const blob = await encryptAlbumNameWith(rng.random, albumKey, albumId, name);
    if (name === "Library") albumBlob = blob;
    albumNames.push({
      albumKey: toHex(albumKey),
      albumId,
      name,
      subkey: toHex(await hkdfSha256(albumKey, new Uint8Array(0), utf8Encode(ALBUM_NAME_KEY_INFO))),
      associatedData: toHex(blobAssociatedData.albumName(albumId)),
      random: rng.take(),
      blob: toHex(blob),
    });
  }
  const metaBlob = fromHexOf(metadata[1]!.blob);
  const fk = toHex(fileKey);
  const negatives = [
    await negative(
      "metadata blob moved to another file",
      "decryptMetadata",
      { fileKey: fk, fileId: otherFileId, blob: toHex(metaBlob) },
      () => decryptMetadata(fileKey, otherFileId, metaBlob),
    ),
    await negative(
      "flipped bit in the metadata ciphertext",
      "decryptMetadata",
      { fileKey: fk, fileId, blob: toHex(flipBit(metaBlob, 30)) },
      () => decryptMetadata(fileKey, fileId, flipBit(metaBlob, 30)),
    ),
    await negative(
      "metadata with unknown version byte",
      "decryptMetadata",
      { fileKey: fk, fileId, blob: toHex(withVersion(metaBlob, 2)) },
      () => decryptMetadata(fileKey, fileId, withVersion(metaBlob, 2)),
    ),
    await negative(
      "grid thumbnail presented as preview",
      "decryptThumbnail",
      { fileKey: fk, fileId, variant: "preview", blob: toHex(thumbBlobs[0]!) },
      () => decryptThumbnail(fileKey, fileId, "preview", thumbBlobs[0]!),
    ),
    await negative(
      "thumbnail moved to another file",
      "decryptThumbnail",
      { fileKey: fk, fileId: otherFileId, variant: "grid", blob: toHex(thumbBlobs[0]!) },
      () => decryptThumbnail(fileKey, otherFileId, "grid", thumbBlobs[0]!),
    ),
    await negative(
      "metadata blob presented as a thumbnail",
      "decryptThumbnail",
      { fileKey: fk, fileId, variant: "grid", blob: toHex(metaBlob) },
      () => decryptThumbnail(fileKey, fileId, "grid", metaBlob),
    ),
    await negative(
      "album name moved to another album",
      "decryptAlbumName",
      {
        albumKey: toHex(albumKey),
        albumId: generateIdWith(seededRandom("metadata/other-album"), "a"),
        blob: toHex(albumBlob),
      },
      () => decryptAlbumName(albumKey, generateIdWith(seededRandom("metadata/other-album"), "a"), albumBlob),
    ),
    await negative(
      "album name under the file key",
      "decryptAlbumName",
      { albumKey: fk, albumId, blob: toHex(albumBlob) },
      () => decryptAlbumName(fileKey, albumId, albumBlob),
    ),
  ];
  write(
    "metadata.json",
    "Metadata, thumbnail and album-name encryption: 0x01 ‖ IV ‖ AES-256-GCM(padded blob) ‖ tag",
    {
      metadata,
      thumbnails,
      albumNames,
      negative: negatives,
    },
  );
}
