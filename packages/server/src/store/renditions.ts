import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { notFound } from "../http-error.js";
import { renditionBlobId } from "../storage/blob-ids.js";
import type { BlobInfo, BlobStore } from "../storage/blob-store.js";
import { ownFile } from "./access.js";
import type { FinishedUpload } from "./files.js";
import { addUsedBytes, assertWithinQuota } from "./usage.js";

/**
 * A file's rendition has no row of its own (SPEC §6.10): its blob's existence and length are all the server
 * knows, and the users.used_bytes counter carries its bytes while it exists.
 */
export async function renditionOf(blobs: BlobStore, file: { blob_key: string }): Promise<BlobInfo> {
  const info = await blobs.stat(renditionBlobId(file.blob_key));
  if (!info) throw notFound("rendition");
  return info;
}

/**
 * Stores a finished upload of the caller's as the rendition of one of the caller's files, replacing an older
 * one. Quota is checked for the difference; the blob is moved in before the counter moves (a crash in between
 * leaves the counter short by one rendition, never a rendition without its upload being consumed twice).
 */
export async function putRendition(
  db: Kysely<Database>,
  blobs: BlobStore,
  userId: string,
  quotaBytes: number,
  fileId: string,
  upload: FinishedUpload,
): Promise<number> {
  const file = await ownFile(db, userId, fileId);
  const blobId = renditionBlobId(file.blob_key);
  const previous = (await blobs.stat(blobId))?.size ?? 0;
  await assertWithinQuota(db, userId, upload.size - previous, quotaBytes, upload.id);
  const size = await blobs.putFile(blobId, upload.path).catch((error: NodeJS.ErrnoException) => {
    // A concurrent PUT of the same upload moved it first.
    if (error.code === "ENOENT") throw notFound("upload");
    throw error;
  });
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("uploads").where("id", "=", upload.id).where("user_id", "=", userId).execute();
    await addUsedBytes(trx, userId, size - previous);
  });
  return size;
}

/** Removes the rendition of one of the caller's files and gives its bytes back; 404 when there is none. */
export async function deleteRendition(
  db: Kysely<Database>,
  blobs: BlobStore,
  userId: string,
  fileId: string,
): Promise<void> {
  const file = await ownFile(db, userId, fileId);
  const { size } = await renditionOf(blobs, file);
  await blobs.delete(renditionBlobId(file.blob_key));
  await addUsedBytes(db, userId, -size);
}
