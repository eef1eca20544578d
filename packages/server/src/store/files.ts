import type { CommitFileBody, FileRecord } from "@umbra/protocol";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { HttpError, notFound } from "../http-error.js";
import { blobIds } from "../storage/blob-ids.js";
import type { BlobStore } from "../storage/blob-store.js";
import { nowIso } from "../tokens.js";
import { ownAlbum, ownFile } from "./access.js";
import type { Db } from "./db.js";
import { deleteBlobs } from "./file-deletion.js";
import { fileRecord } from "./records.js";
import { allocateSeq, objectIdTaken } from "./sequence.js";
import { addUsedBytes, assertWithinQuota } from "./usage.js";

/** A finished upload's bytes, ready to become a file's content blob. */
export interface FinishedUpload {
  id: string;
  size: number;
  /** The upload's data file, moved into the blob store by the commit. */
  path: string;
}

const duplicateFile = () => new HttpError("DUPLICATE_ID", "a file with this id exists");

/**
 * Turns a finished upload into a file placed in one of the caller's albums. Blobs first (named after the upload
 * id, unique), rows second: a crash in between leaves only orphan blobs for the sweeper, never a row without
 * its blob.
 */
export async function commitFile(
  db: Kysely<Database>,
  blobs: BlobStore,
  userId: string,
  quotaBytes: number,
  upload: FinishedUpload,
  body: CommitFileBody,
): Promise<FileRecord> {
  const album = await ownAlbum(db, userId, body.albumId);
  const grid = Buffer.from(body.thumbnails.grid, "base64url");
  const preview = Buffer.from(body.thumbnails.preview, "base64url");
  const bytes = upload.size + grid.length + preview.length;
  await assertWithinQuota(db, userId, bytes, quotaBytes, upload.id);
  if (await objectIdTaken(db, "files", body.id)) throw duplicateFile();

  const ids = blobIds(upload.id);
  // In parallel: each write fsyncs, and waiting for them one by one dominated small-file commits.
  await Promise.all([
    blobs.put(ids.grid, grid),
    blobs.put(ids.preview, preview),
    blobs.putFile(ids.content, upload.path).catch((error: NodeJS.ErrnoException) => {
      // A concurrent commit of the same upload moved it first.
      if (error.code === "ENOENT") throw notFound("upload");
      throw error;
    }),
  ]);
  const now = nowIso();
  try {
    return await db.transaction().execute(async (trx) => {
      const removed = await trx
        .deleteFrom("uploads")
        .where("id", "=", upload.id)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) !== 1) throw notFound("upload");
      const seq = await allocateSeq(trx, userId);
      await trx
        .insertInto("files")
        .values({
          id: body.id,
          user_id: userId,
          blob_key: upload.id,
          encrypted_metadata: body.encryptedMetadata,
          content_size: upload.size,
          grid_size: grid.length,
          preview_size: preview.length,
          created_at: now,
          updated_at: now,
          trashed_at: null,
          seq,
        })
        .execute();
      await addUsedBytes(trx, userId, bytes);
      await trx
        .insertInto("album_files")
        .values({
          album_id: body.albumId,
          file_id: body.id,
          user_id: userId,
          wrapped_file_key: body.wrappedFileKey,
          added_seq: seq,
          key_version: Number(album.key_version),
        })
        .execute();
      return fileRecord(trx, await ownFile(trx, userId, body.id));
    });
  } catch (error) {
    await deleteBlobs(blobs, [upload.id]);
    if (isUniqueViolation(error)) throw duplicateFile();
    throw error;
  }
}

export type FileChange = (row: Awaited<ReturnType<typeof ownFile>>) => {
  encrypted_metadata?: string;
  trashed_at?: string | null;
};

/** Changes one of the caller's files (metadata, trash, restore) with a new sequence number. */
export async function updateFile(
  db: Kysely<Database>,
  userId: string,
  fileId: string,
  change: FileChange,
): Promise<FileRecord> {
  return db.transaction().execute(async (trx) => {
    const row = await ownFile(trx, userId, fileId);
    const seq = await allocateSeq(trx, userId);
    await trx
      .updateTable("files")
      .set({ ...change(row), seq, updated_at: nowIso() })
      .where("id", "=", fileId)
      .execute();
    return fileRecord(trx, await ownFile(trx, userId, fileId));
  });
}

/** The caller's own file, as a record. */
export async function ownFileRecord(db: Db, userId: string, fileId: string): Promise<FileRecord> {
  return fileRecord(db, await ownFile(db, userId, fileId));
}

/** Ids of the caller's trashed files. */
export async function trashedFileIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("files")
    .select("id")
    .where("user_id", "=", userId)
    .where("trashed_at", "is not", null)
    .execute();
  return rows.map((r) => r.id);
}
