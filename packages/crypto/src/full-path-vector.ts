// The full-path test vector (SPEC §13, test-vectors/full-path.json): one account, its library album and one file,
// made and opened with the calls the client makes in production (packages/client/src/keys.ts, upload.ts,
// download.ts). Shared by the generator and the test; not exported from the package.
import { fromBase64Url, fromHex, toBase64Url, toHex } from "./bytes.js";
import { contentDigest, deriveDedupKey } from "./dedup.js";
import { fileContentAssociatedData } from "./file-content.js";
import { generateIdWith } from "./ids.js";
import { deriveWrappingKey, type KdfParams } from "./kdf.js";
import { albumKeyContext, fileKeyContext, keyContextAssociatedData } from "./key-context.js";
import { unwrapAlbumKey, unwrapFileKey } from "./key-hierarchy.js";
import { generateKeyWith, unwrapMasterKeyWithPassword, wrapMasterKeyWithPasswordWith } from "./master-key.js";
import {
  decryptAlbumName,
  decryptMetadata,
  decryptThumbnail,
  encryptAlbumNameWith,
  encryptMetadataWith,
  encryptThumbnailWith,
  type ThumbnailVariant,
} from "./metadata.js";
import type { FileMetadata } from "./metadata-schema.js";
import { padmeLength } from "./padding.js";
import type { RandomSource } from "./random.js";
import { createDecryptStream } from "./stream/decrypt.js";
import { createEncryptStream } from "./stream/encrypt.js";
import { newStreamHeader } from "./stream/header-option.js";
import { chunksOf, runTransform } from "./stream/test-support.js";
import { wrapKeyWith } from "./wrap.js";

/** What a user brings: a password, a file with its thumbnails, and what a media hook read from it. */
export interface FullPathInputs {
  password: string;
  albumName: string;
  segmentSize: number;
  file: { name: string; mime: string; takenAt: string; width: number; height: number };
  /** base64url */
  plaintext: string;
  thumbnails: Record<ThumbnailVariant, string>;
}

/** What the server (or an offline backup, SPEC §16) holds afterwards: the wire records, all base64url. */
export interface FullPathRecords {
  keyBundle: { version: 1; userId: string; kdf: KdfParams; passwordWrappedMasterKey: string };
  album: { id: string; encryptedName: string; wrappedAlbumKey: string };
  file: {
    id: string;
    albums: { albumId: string; wrappedFileKey: string }[];
    encryptedMetadata: string;
    thumbnails: Record<ThumbnailVariant, string>;
    content: string;
  };
}

/** The values in between, hex, for an implementer to find where they first differ. */
export interface FullPathIntermediates {
  passwordWrappingKey: string;
  masterKey: string;
  albumKey: string;
  albumKeyAssociatedData: string;
  fileKey: string;
  fileKeyAssociatedData: string;
  dedupKey: string;
  contentAssociatedData: string;
  streamHeader: string;
  metadataJson: string;
}

export interface FullPathVector {
  inputs: FullPathInputs;
  records: FullPathRecords;
  intermediates: FullPathIntermediates;
  /** The decrypted metadata, as `decryptMetadata` returns it. */
  metadata: FileMetadata;
}

/** Pipes `bytes` through a stream transform in chunks of `chunkSize`, as a download or an upload would. */
async function transform(
  stream: TransformStream<Uint8Array, Uint8Array>,
  bytes: Uint8Array,
  chunkSize: number,
): Promise<Uint8Array> {
  const { output, error } = await runTransform(stream, chunksOf(bytes, [chunkSize]));
  if (error) throw error;
  return output;
}

/**
 * Sign-up, the library album and one upload, in the client's order, drawing every random byte from `random`.
 * Each step is the production call or its `…With` twin that differs only in where randomness comes from.
 */
export async function buildFullPath(random: RandomSource, inputs: FullPathInputs): Promise<FullPathVector> {
  // Sign-up (createAccountSecrets): user id, master key, password wrap.
  const userId = generateIdWith(random, "u");
  const masterKey = generateKeyWith(random);
  const byPassword = await wrapMasterKeyWithPasswordWith(random, masterKey, inputs.password, userId);
  // The library album (newAlbumKeys): album id, album key, its name, its wrap by the master key.
  const albumId = generateIdWith(random, "a");
  const albumKey = generateKeyWith(random);
  const encryptedName = await encryptAlbumNameWith(random, albumKey, albumId, inputs.albumName);
  const albumContext = albumKeyContext(userId, albumId);
  const wrappedAlbumKey = await wrapKeyWith(random, masterKey, albumKey, albumContext);
  // One upload (upload.ts): file id, file key, its wrap, the stream header, then content, thumbnails, metadata.
  const fileId = generateIdWith(random, "f");
  const fileKey = generateKeyWith(random);
  const fileContext = fileKeyContext(albumId, fileId);
  const wrappedFileKey = await wrapKeyWith(random, albumKey, fileKey, fileContext);
  const header = newStreamHeader(inputs.segmentSize, random).bytes;
  const plaintext = fromBase64Url(inputs.plaintext);
  const associatedData = fileContentAssociatedData(fileId);
  const content = await transform(
    createEncryptStream(fileKey, {
      associatedData,
      segmentSize: inputs.segmentSize,
      padToLength: padmeLength(plaintext.length),
      header,
    }),
    plaintext,
    4096,
  );
  const thumbnails = {
    grid: await encryptThumbnailWith(random, fileKey, fileId, "grid", fromBase64Url(inputs.thumbnails.grid)),
    preview: await encryptThumbnailWith(
      random,
      fileKey,
      fileId,
      "preview",
      fromBase64Url(inputs.thumbnails.preview),
    ),
  };
  const dedupKey = await deriveDedupKey(masterKey);
  // The fields in the order the client's metadata schema emits them (name … extra).
  const metadata: FileMetadata = {
    name: inputs.file.name,
    mime: inputs.file.mime,
    size: plaintext.length,
    takenAt: inputs.file.takenAt,
    width: inputs.file.width,
    height: inputs.file.height,
    contentDigest: await contentDigest(dedupKey, plaintext),
    extra: { segmentSize: inputs.segmentSize },
  };
  const encryptedMetadata = await encryptMetadataWith(random, fileKey, fileId, metadata);
  return {
    inputs,
    records: {
      keyBundle: {
        version: 1,
        userId,
        kdf: byPassword.kdf,
        passwordWrappedMasterKey: toBase64Url(byPassword.wrapped),
      },
      album: {
        id: albumId,
        encryptedName: toBase64Url(encryptedName),
        wrappedAlbumKey: toBase64Url(wrappedAlbumKey),
      },
      file: {
        id: fileId,
        albums: [{ albumId, wrappedFileKey: toBase64Url(wrappedFileKey) }],
        encryptedMetadata: toBase64Url(encryptedMetadata),
        thumbnails: { grid: toBase64Url(thumbnails.grid), preview: toBase64Url(thumbnails.preview) },
        content: toBase64Url(content),
      },
    },
    intermediates: {
      passwordWrappingKey: toHex(await deriveWrappingKey(inputs.password, byPassword.kdf)),
      masterKey: toHex(masterKey),
      albumKey: toHex(albumKey),
      albumKeyAssociatedData: toHex(keyContextAssociatedData(albumContext)),
      fileKey: toHex(fileKey),
      fileKeyAssociatedData: toHex(keyContextAssociatedData(fileContext)),
      dedupKey: toHex(dedupKey),
      contentAssociatedData: toHex(associatedData),
      streamHeader: toHex(header),
      metadataJson: JSON.stringify(metadata),
    },
    metadata,
  };
}

/** What a reader recovers from the records and the password alone. */
export interface OpenedFullPath {
  masterKey: Uint8Array;
  albumKey: Uint8Array;
  albumName: string;
  fileKey: Uint8Array;
  metadata: FileMetadata;
  plaintext: Uint8Array;
  thumbnails: Record<ThumbnailVariant, Uint8Array>;
}

/**
 * Opens the records as the client does after login and on download: password → master key → album key →
 * file key → metadata, then the content stream stopped at the metadata's size, then the thumbnails.
 */
export async function openFullPath(
  records: FullPathRecords,
  password: string,
  {
    chunkSize = 1000,
    contentAssociatedData,
  }: { chunkSize?: number; contentAssociatedData?: Uint8Array } = {},
): Promise<OpenedFullPath> {
  const { keyBundle, album, file } = records;
  const masterKey = await unwrapMasterKeyWithPassword(
    { kdf: keyBundle.kdf, wrapped: fromBase64Url(keyBundle.passwordWrappedMasterKey) },
    password,
    keyBundle.userId,
  );
  const albumKey = await unwrapAlbumKey(
    masterKey,
    fromBase64Url(album.wrappedAlbumKey),
    keyBundle.userId,
    album.id,
  );
  const albumName = await decryptAlbumName(albumKey, album.id, fromBase64Url(album.encryptedName));
  const placement = file.albums.find((entry) => entry.albumId === album.id);
  if (!placement) throw new Error("The file is not in the album");
  const fileKey = await unwrapFileKey(albumKey, fromBase64Url(placement.wrappedFileKey), album.id, file.id);
  const metadata = await decryptMetadata(fileKey, file.id, fromBase64Url(file.encryptedMetadata));
  const plaintext = await transform(
    createDecryptStream(fileKey, {
      associatedData: contentAssociatedData ?? fileContentAssociatedData(file.id),
      plaintextLength: metadata.size,
    }),
    fromBase64Url(file.content),
    chunkSize,
  );
  const thumbnails = {
    grid: await decryptThumbnail(fileKey, file.id, "grid", fromBase64Url(file.thumbnails.grid)),
    preview: await decryptThumbnail(fileKey, file.id, "preview", fromBase64Url(file.thumbnails.preview)),
  };
  return { masterKey, albumKey, albumName, fileKey, metadata, plaintext, thumbnails };
}

/**
 * A negative case: the whole path opened again with one thing changed (a wrong password, another content AD, or
 * some record fields replaced), which must fail with `error`.
 */
export interface FullPathNegative {
  description: string;
  password?: string;
  /** hex */
  contentAssociatedData?: string;
  /** Replaces fields of the records (objects merge, everything else is replaced). */
  records?: Record<string, unknown>;
  error: string;
}

function overlay(base: unknown, change: unknown): unknown {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isObject(base) || !isObject(change)) return change;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) out[key] = overlay(base[key], value);
  return out;
}

export function openNegative(vector: FullPathVector, negative: FullPathNegative): Promise<OpenedFullPath> {
  const records = overlay(vector.records, negative.records ?? {}) as FullPathRecords;
  const contentAssociatedData =
    negative.contentAssociatedData === undefined ? undefined : fromHex(negative.contentAssociatedData);
  return openFullPath(records, negative.password ?? vector.inputs.password, { contentAssociatedData });
}
