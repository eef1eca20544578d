/**
 * The one owner of "open a record's metadata" and "open a thumbnail": pure functions over bytes and wire strings,
 * with no I/O and no heavy imports (no OPAQUE, no tus, no zod), so a worker bundle built from
 * `@umbra/client/record-decrypt` stays small. The SDK runs them in-thread by default; an app passes a
 * `RecordDecryptor` that runs the same functions elsewhere (the web app: its worker pools).
 */
import {
  ciphertextDigest,
  decryptMetadata,
  decryptThumbnail,
  type ThumbnailVariant,
  unwrapFileKey,
  utf8Encode,
} from "@umbra/crypto";
import { decodeWire } from "./wire.js";

/** One record's metadata to open: the file key's wrapping under one of its albums, and the sealed metadata. */
export interface MetadataJob {
  fileId: string;
  albumId: string;
  /** Which of the batch's album keys opens `wrappedFileKey` (an album can have rotated keys). */
  keyRef: string;
  wrappedFileKey: string;
  encryptedMetadata: string;
}

/**
 * The metadata as `decryptMetadata` checked it (`assertFileMetadata`); the SDK parses it again into its
 * `FileMetadata` on the caller's side. A failure keeps the error's stable `code` (TAMPERED, INVALID_RESPONSE…).
 */
export type MetadataOutcome =
  | {
      ok: true;
      metadata: unknown;
      /** `metadataDigest` of the job's encryptedMetadata (the checkpoint compares it), made where it was opened. */
      digest?: string;
    }
  | { ok: false; code: string; message: string };

/** The library checkpoint's digest of a record's sealed metadata, as sent (SPEC §15). */
export async function metadataDigest(encryptedMetadata: string): Promise<string> {
  return (await ciphertextDigest(utf8Encode(encryptedMetadata))).slice(0, 22);
}

/** Unwraps the file key under `albumKey` (bound to album and file), opens the metadata, wipes the file key. */
export async function decryptRecordMetadata(
  albumKey: Uint8Array,
  job: Omit<MetadataJob, "keyRef">,
): Promise<unknown> {
  const fileKey = await unwrapFileKey(
    albumKey,
    decodeWire(job.wrappedFileKey, "wrappedFileKey"),
    job.albumId,
    job.fileId,
  );
  try {
    return await decryptMetadata(fileKey, job.fileId, decodeWire(job.encryptedMetadata, "encryptedMetadata"));
  } finally {
    fileKey.fill(0);
  }
}

/** A thumbnail's plaintext (bound to file id and variant); the caller's file key is left as it is. */
export function decryptRecordThumbnail(
  fileKey: Uint8Array,
  fileId: string,
  variant: ThumbnailVariant,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  return decryptThumbnail(fileKey, fileId, variant, ciphertext);
}

function outcomeOf(error: unknown): MetadataOutcome {
  const e = error as { code?: unknown; message?: string } | null;
  return {
    ok: false,
    code: typeof e?.code === "string" ? e.code : "DECRYPT_FAILED",
    message: e?.message ?? String(error),
  };
}

/**
 * One outcome per job, in order; a failed job does not fail the batch. Every job starts at once: Web Crypto runs
 * them in parallel, so a batch costs little more than its slowest job. The album keys are not wiped here.
 */
export function decryptMetadataBatch(
  albumKeys: Readonly<Record<string, Uint8Array>>,
  jobs: readonly MetadataJob[],
): Promise<MetadataOutcome[]> {
  return Promise.all(
    jobs.map(async (job): Promise<MetadataOutcome> => {
      try {
        const albumKey = albumKeys[job.keyRef];
        if (!albumKey)
          throw Object.assign(new Error(`No key for album ${job.albumId}`), { code: "NOT_FOUND" });
        const metadata = await decryptRecordMetadata(albumKey, job);
        return { ok: true, metadata, digest: await metadataDigest(job.encryptedMetadata) };
      } catch (error) {
        return outcomeOf(error);
      }
    }),
  );
}

/**
 * Where the SDK opens records. Both calls must behave as the functions above (the default runs them in-thread);
 * an implementation may run them elsewhere but must not keep the keys it is given.
 */
export interface RecordDecryptor {
  metadata(
    albumKeys: ReadonlyMap<string, Uint8Array>,
    jobs: readonly MetadataJob[],
  ): Promise<MetadataOutcome[]>;
  thumbnail(
    fileKey: Uint8Array,
    fileId: string,
    variant: ThumbnailVariant,
    ciphertext: Uint8Array,
  ): Promise<Uint8Array>;
}

export const inThreadDecryptor: RecordDecryptor = {
  metadata: (albumKeys, jobs) => decryptMetadataBatch(Object.fromEntries(albumKeys), jobs),
  thumbnail: decryptRecordThumbnail,
};

export { parseThumbnailBatch } from "./thumbnail-batch.js";
