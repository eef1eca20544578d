import { assertIdField, encodeAssociatedData } from "./associated-data.js";
import { utf8Decode, utf8Encode } from "./bytes.js";
import { assertKey32, openEnvelope, sealEnvelope } from "./envelope.js";
import { InvalidInputError, TamperedError } from "./errors.js";
import { hkdfSha256 } from "./hkdf.js";
import { assertFileMetadata, type FileMetadata } from "./metadata-schema.js";
import { decodePaddedBlob, encodePaddedBlob } from "./padding.js";
import { type RandomSource, systemRandom } from "./random.js";

export const BLOB_LABEL = "umbra/v1/blob";
export const METADATA_KEY_INFO = "umbra/v1/metadata";
export const THUMBNAIL_KEY_INFO = "umbra/v1/thumbnail";
export const ALBUM_NAME_KEY_INFO = "umbra/v1/album-name";

export const THUMBNAIL_VARIANTS = ["grid", "preview"] as const;
export type ThumbnailVariant = (typeof THUMBNAIL_VARIANTS)[number];

const NO_SALT = new Uint8Array(0);

function subkey(key: Uint8Array, info: string): Promise<Uint8Array> {
  return hkdfSha256(key, NO_SALT, utf8Encode(info), 32);
}

function assertVariant(variant: unknown): asserts variant is ThumbnailVariant {
  if (!THUMBNAIL_VARIANTS.includes(variant as ThumbnailVariant)) {
    throw new InvalidInputError(`Unknown thumbnail variant ${JSON.stringify(variant)}`);
  }
}

/** Associated data of each blob kind; exported for the spec's test vectors. */
export const blobAssociatedData = {
  metadata: (fileId: string) => encodeAssociatedData([BLOB_LABEL, "file-metadata", fileId]),
  thumbnail: (fileId: string, variant: ThumbnailVariant) =>
    encodeAssociatedData([BLOB_LABEL, "file-thumbnail", fileId, variant]),
  albumName: (albumId: string) => encodeAssociatedData([BLOB_LABEL, "album-name", albumId]),
};

async function sealPadded(
  random: RandomSource,
  key: Uint8Array,
  data: Uint8Array,
  ad: Uint8Array,
): Promise<Uint8Array> {
  return sealEnvelope(random, key, encodePaddedBlob(data), ad);
}

async function openPadded(key: Uint8Array, blob: Uint8Array, ad: Uint8Array): Promise<Uint8Array> {
  return decodePaddedBlob(await openEnvelope(key, blob, ad));
}

/** Internal: encryptMetadata with an injected random source. */
export async function encryptMetadataWith(
  random: RandomSource,
  fileKey: Uint8Array,
  fileId: string,
  metadata: FileMetadata,
): Promise<Uint8Array> {
  assertKey32(fileKey, "The file key");
  assertIdField(fileId, "fileId");
  assertFileMetadata(metadata);
  const json = utf8Encode(JSON.stringify(metadata));
  return sealPadded(
    random,
    await subkey(fileKey, METADATA_KEY_INFO),
    json,
    blobAssociatedData.metadata(fileId),
  );
}

/** JSON → padded blob → AES-256-GCM under HKDF(fileKey, "umbra/v1/metadata"), bound to the file id. */
export function encryptMetadata(
  fileKey: Uint8Array,
  fileId: string,
  metadata: FileMetadata,
): Promise<Uint8Array> {
  return encryptMetadataWith(systemRandom, fileKey, fileId, metadata);
}

export async function decryptMetadata(
  fileKey: Uint8Array,
  fileId: string,
  blob: Uint8Array,
): Promise<FileMetadata> {
  assertKey32(fileKey, "The file key");
  assertIdField(fileId, "fileId");
  const json = await openPadded(
    await subkey(fileKey, METADATA_KEY_INFO),
    blob,
    blobAssociatedData.metadata(fileId),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(json));
  } catch (error) {
    // Authentic but unparsable: written by a broken client, not by an attacker.
    throw new InvalidInputError("Decrypted metadata is not valid JSON", { cause: error });
  }
  assertFileMetadata(parsed);
  return parsed;
}

/** Internal: encryptThumbnail with an injected random source. */
export async function encryptThumbnailWith(
  random: RandomSource,
  fileKey: Uint8Array,
  fileId: string,
  variant: ThumbnailVariant,
  bytes: Uint8Array,
): Promise<Uint8Array> {
  assertKey32(fileKey, "The file key");
  assertIdField(fileId, "fileId");
  assertVariant(variant);
  return sealPadded(
    random,
    await subkey(fileKey, THUMBNAIL_KEY_INFO),
    bytes,
    blobAssociatedData.thumbnail(fileId, variant),
  );
}

export function encryptThumbnail(
  fileKey: Uint8Array,
  fileId: string,
  variant: ThumbnailVariant,
  bytes: Uint8Array,
): Promise<Uint8Array> {
  return encryptThumbnailWith(systemRandom, fileKey, fileId, variant, bytes);
}

export async function decryptThumbnail(
  fileKey: Uint8Array,
  fileId: string,
  variant: ThumbnailVariant,
  blob: Uint8Array,
): Promise<Uint8Array> {
  assertKey32(fileKey, "The file key");
  assertIdField(fileId, "fileId");
  assertVariant(variant);
  return openPadded(
    await subkey(fileKey, THUMBNAIL_KEY_INFO),
    blob,
    blobAssociatedData.thumbnail(fileId, variant),
  );
}

/** Internal: encryptAlbumName with an injected random source. */
export async function encryptAlbumNameWith(
  random: RandomSource,
  albumKey: Uint8Array,
  albumId: string,
  name: string,
): Promise<Uint8Array> {
  assertKey32(albumKey, "The album key");
  assertIdField(albumId, "albumId");
  if (typeof name !== "string") throw new InvalidInputError("The album name must be a string");
  return sealPadded(
    random,
    await subkey(albumKey, ALBUM_NAME_KEY_INFO),
    utf8Encode(name),
    blobAssociatedData.albumName(albumId),
  );
}

export function encryptAlbumName(albumKey: Uint8Array, albumId: string, name: string): Promise<Uint8Array> {
  return encryptAlbumNameWith(systemRandom, albumKey, albumId, name);
}

export async function decryptAlbumName(
  albumKey: Uint8Array,
  albumId: string,
  blob: Uint8Array,
): Promise<string> {
  assertKey32(albumKey, "The album key");
  assertIdField(albumId, "albumId");
  const bytes = await openPadded(
    await subkey(albumKey, ALBUM_NAME_KEY_INFO),
    blob,
    blobAssociatedData.albumName(albumId),
  );
  try {
    return utf8Decode(bytes);
  } catch (error) {
    throw new TamperedError("Decrypted album name is not UTF-8", { cause: error });
  }
}
