import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { blobIds, renditionBlobId } from "../storage/blob-ids.js";
import type { BlobStore } from "../storage/blob-store.js";
import { allocateSeq } from "./sequence.js";
import { addUsedBytes } from "./usage.js";

/**
 * Deletes files for good: rows (with a tombstone each) in one transaction, then their blobs. A crash between
 * the two leaves orphan blobs, which the sweeper removes; never a row without its blob.
 */
export async function deleteFiles(
  db: Kysely<Database>,
  blobs: BlobStore,
  userId: string,
  fileIds: string[],
): Promise<number> {
  if (fileIds.length === 0) return 0;
  const blobKeys = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("files")
      .select(["id", "blob_key", "content_size", "grid_size", "preview_size"])
      .where("user_id", "=", userId)
      .where("id", "in", fileIds)
      .execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const first = await allocateSeq(trx, userId, rows.length);
    await trx.deleteFrom("album_files").where("file_id", "in", ids).execute();
    await trx.deleteFrom("files").where("id", "in", ids).execute();
    const freed = rows.reduce(
      (sum, r) => sum + Number(r.content_size) + Number(r.grid_size) + Number(r.preview_size),
      0,
    );
    await addUsedBytes(trx, userId, -freed - (await renditionBytes(blobs, rows)));
    await trx.deleteFrom("tombstones").where("user_id", "=", userId).where("object_id", "in", ids).execute();
    await trx
      .insertInto("tombstones")
      .values(ids.map((id, i) => ({ user_id: userId, kind: "file" as const, object_id: id, seq: first + i })))
      .execute();
    return rows.map((r) => r.blob_key);
  });
  await deleteBlobs(blobs, blobKeys);
  return blobKeys.length;
}

/** Renditions have no row: their size (counted in used_bytes when stored) is the blob store's. */
async function renditionBytes(blobs: BlobStore, rows: { blob_key: string }[]): Promise<number> {
  let total = 0;
  for (const row of rows) total += (await blobs.stat(renditionBlobId(row.blob_key)))?.size ?? 0;
  return total;
}

export async function deleteBlobs(blobs: BlobStore, blobKeys: string[]): Promise<void> {
  for (const key of blobKeys) {
    const ids = blobIds(key);
    await Promise.all([
      blobs.delete(ids.content),
      blobs.delete(ids.grid),
      blobs.delete(ids.preview),
      blobs.delete(renditionBlobId(key)),
    ]);
  }
}
