import { randomBytes } from "node:crypto";
import type { FileRecord, FinishLiveBody, LiveFileSummary, StartLiveBody } from "@umbra/protocol";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { forbidden, HttpError, invalid } from "../http-error.js";
import { blobIds } from "../storage/blob-ids.js";
import type { BlobStore } from "../storage/blob-store.js";
import { nowIso } from "../tokens.js";
import { albumAccess, ownAlbum, ownFile } from "./access.js";
import type { Db } from "./db.js";
import { deleteBlobs } from "./file-deletion.js";
import { fileRecord } from "./records.js";
import { allocateSeq, objectIdTaken } from "./sequence.js";
import { addUsedBytes, assertWithinQuota } from "./usage.js";

// The database side of live uploads (docs/PROTOCOL.md, "Live uploads"); the bytes are routes/live.ts's.

const duplicateFile = () => new HttpError("DUPLICATE_ID", "a file with this id exists");
export const notLive = () => new HttpError("NOT_LIVE", "the file is not a live recording");
export const offsetMismatch = (length: number) =>
  new HttpError("OFFSET_MISMATCH", `the server holds ${length} bytes of this file`, {
    "umbra-offset": String(length),
  });

/** A fresh blob key: live files have no upload id to name their blobs after. */
export const newBlobKey = () => randomBytes(16).toString("hex");

/** The caller's own live file (NOT_LIVE once finished). */
export async function ownLiveFile(db: Db, userId: string, fileId: string) {
  const row = await ownFile(db, userId, fileId);
  if (row.live_appended_at == null) throw notLive();
  return row;
}

/**
 * Creates a live file placed in the named album (ours, or a shared one we contribute to, then also in our
 * `home` album), with content length 0. Thumbnail blobs first, rows second, as for committed uploads.
 */
export async function startLive(
  db: Kysely<Database>,
  blobs: BlobStore,
  userId: string,
  quotaBytes: number,
  body: StartLiveBody,
): Promise<FileRecord> {
  const { album, role } = await albumAccess(db, userId, body.albumId);
  if (role === "viewer") throw forbidden("viewers cannot add files to this album");
  const keyVersion = Number(album.key_version);
  if (body.keyVersion !== undefined && body.keyVersion !== keyVersion) {
    throw new HttpError("KEY_VERSION_CHANGED", "the album key was rotated; wrap with the current key");
  }
  if ((body.contentDigest === undefined) !== (body.signature === undefined)) {
    throw invalid("contentDigest and signature go together");
  }
  if (role === "contributor") {
    if (body.signature === undefined) throw invalid("files added to a shared album must be signed");
    if (!body.home) throw invalid("a recording into someone else's album needs a home album of yours");
    await ownAlbum(db, userId, body.home.albumId);
  }
  const grid = Buffer.from(body.thumbnails?.grid ?? "", "base64url");
  const preview = Buffer.from(body.thumbnails?.preview ?? "", "base64url");
  await assertWithinQuota(db, userId, grid.length + preview.length, quotaBytes);
  if (await objectIdTaken(db, "files", body.id)) throw duplicateFile();
  const blobKey = newBlobKey();
  const ids = blobIds(blobKey);
  await Promise.all([blobs.put(ids.grid, grid), blobs.put(ids.preview, preview)]);
  const now = nowIso();
  try {
    return await db.transaction().execute(async (trx) => {
      const seq = await allocateSeq(trx, userId);
      await trx
        .insertInto("files")
        .values({
          id: body.id,
          user_id: userId,
          blob_key: blobKey,
          encrypted_metadata: body.encryptedMetadata,
          content_size: 0,
          grid_size: grid.length,
          preview_size: preview.length,
          created_at: now,
          updated_at: now,
          trashed_at: null,
          seq,
          live_appended_at: now,
        })
        .execute();
      await addUsedBytes(trx, userId, grid.length + preview.length);
      const placement = {
        file_id: body.id,
        user_id: userId,
        added_seq: seq,
      };
      await trx
        .insertInto("album_files")
        .values({
          ...placement,
          album_id: body.albumId,
          wrapped_file_key: body.wrappedFileKey,
          key_version: keyVersion,
          content_digest: body.contentDigest ?? null,
          signature: body.signature ?? null,
        })
        .execute();
      if (role === "contributor" && body.home) {
        const home = await ownAlbum(trx, userId, body.home.albumId);
        await trx
          .insertInto("album_files")
          .values({
            ...placement,
            album_id: home.id,
            wrapped_file_key: body.home.wrappedFileKey,
            key_version: Number(home.key_version),
          })
          .execute();
      }
      return fileRecord(trx, await ownFile(trx, userId, body.id));
    });
  } catch (error) {
    await deleteBlobs(blobs, [blobKey]);
    if (isUniqueViolation(error)) throw duplicateFile();
    throw error;
  }
}

/**
 * Advances a live file's length from `offset` by `bytes` once they are durable: a compare-and-set on the
 * length, so a concurrent or repeated append cannot move it twice. Quota counts the new bytes.
 */
export async function commitAppend(
  db: Kysely<Database>,
  userId: string,
  fileId: string,
  offset: number,
  bytes: number,
  quotaBytes: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await assertWithinQuota(trx, userId, bytes, quotaBytes);
    const updated = await trx
      .updateTable("files")
      .set({ content_size: offset + bytes, live_appended_at: nowIso() })
      .where("id", "=", fileId)
      .where("user_id", "=", userId)
      .where("content_size", "=", offset)
      .where("live_appended_at", "is not", null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const row = await ownLiveFile(trx, userId, fileId);
      throw offsetMismatch(Number(row.content_size));
    }
    await addUsedBytes(trx, userId, bytes);
    return offset + bytes;
  });
}

/**
 * Makes a live file a normal one: its bytes are already in the blob store under `blobKey` (the caller moved
 * them there), with the new thumbnails; the row takes the new blob key, metadata and a new sequence number, and
 * the uploader's signed placements take the re-signed digest.
 */
export async function finishLiveRecord(
  db: Kysely<Database>,
  userId: string,
  fileId: string,
  blobKey: string,
  body: FinishLiveBody,
  sizes: { grid: number; preview: number },
  quotaBytes: number,
): Promise<FileRecord> {
  return db.transaction().execute(async (trx) => {
    const row = await ownLiveFile(trx, userId, fileId);
    if (Number(row.content_size) !== body.contentSize) throw offsetMismatch(Number(row.content_size));
    const signed = await trx
      .selectFrom("album_files")
      .select("album_id")
      .where("file_id", "=", fileId)
      .where("user_id", "=", userId)
      .where("signature", "is not", null)
      .execute();
    if (signed.length > 0 && body.signature === undefined) {
      throw invalid("the recording's signed placement must be re-signed over its content digest");
    }
    const grown = sizes.grid + sizes.preview - Number(row.grid_size) - Number(row.preview_size);
    if (grown > 0) await assertWithinQuota(trx, userId, grown, quotaBytes);
    const seq = await allocateSeq(trx, userId);
    await trx
      .updateTable("files")
      .set({
        blob_key: blobKey,
        encrypted_metadata: body.encryptedMetadata,
        grid_size: sizes.grid,
        preview_size: sizes.preview,
        live_appended_at: null,
        seq,
        updated_at: nowIso(),
      })
      .where("id", "=", fileId)
      .execute();
    await addUsedBytes(trx, userId, grown);
    if (signed.length > 0) {
      await trx
        .updateTable("album_files")
        .set({ content_digest: body.contentDigest ?? null, signature: body.signature ?? null })
        .where("file_id", "=", fileId)
        .where("user_id", "=", userId)
        .where("signature", "is not", null)
        .execute();
    }
    return fileRecord(trx, await ownFile(trx, userId, fileId));
  });
}

/** The caller's live files, oldest first, with when each last grew. */
export async function liveFiles(db: Kysely<Database>, userId: string): Promise<LiveFileSummary[]> {
  const rows = await db
    .selectFrom("files")
    .select(["id", "content_size", "created_at", "live_appended_at"])
    .where("user_id", "=", userId)
    .where("live_appended_at", "is not", null)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    length: Number(r.content_size),
    createdAt: r.created_at,
    lastAppendAt: r.live_appended_at!,
  }));
}
