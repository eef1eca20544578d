import type { AlbumRecord, FileRecord } from "@umbra/protocol";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { AlbumsTable, Database, FilesTable } from "./db/schema.js";

export type Db = Kysely<Database> | Transaction<Database>;

export function toAlbumRecord(row: Selectable<AlbumsTable>): AlbumRecord {
  return {
    id: row.id,
    kind: row.kind,
    encryptedName: row.encrypted_name,
    wrappedAlbumKey: row.wrapped_album_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    seq: Number(row.seq),
    keyVersion: Number(row.key_version),
  };
}

/** FileRecords for rows, with their album memberships, in the rows' order. */
export async function toFileRecords(db: Db, rows: Selectable<FilesTable>[]): Promise<FileRecord[]> {
  if (rows.length === 0) return [];
  // Only the owner's own albums: a contributor's file placed in someone else's shared album is listed there.
  const memberships = await db
    .selectFrom("album_files")
    .innerJoin("albums", "albums.id", "album_files.album_id")
    .select([
      "album_files.file_id",
      "album_files.album_id",
      "album_files.wrapped_file_key",
      "album_files.key_version",
    ])
    .whereRef("albums.user_id", "=", "album_files.user_id")
    .where(
      "album_files.file_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("album_files.added_seq")
    .orderBy("album_files.album_id")
    .execute();
  const byFile = new Map<string, { albumId: string; wrappedFileKey: string; keyVersion: number }[]>();
  for (const m of memberships) {
    const list = byFile.get(m.file_id) ?? [];
    list.push({ albumId: m.album_id, wrappedFileKey: m.wrapped_file_key, keyVersion: Number(m.key_version) });
    byFile.set(m.file_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    albums: byFile.get(row.id) ?? [],
    encryptedMetadata: row.encrypted_metadata,
    contentSize: Number(row.content_size),
    thumbnails: { grid: Number(row.grid_size), preview: Number(row.preview_size) },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    trashedAt: row.trashed_at,
    seq: Number(row.seq),
  }));
}

export async function fileRecord(db: Db, row: Selectable<FilesTable>): Promise<FileRecord> {
  const [record] = await toFileRecords(db, [row]);
  return record!;
}

/**
 * Reserves `count` consecutive sequence numbers for a user's changes and returns the first. Updating the user
 * row locks it until commit, so transactions commit in sequence order and a sync cursor never skips a change.
 */
export async function allocateSeq(trx: Db, userId: string, count = 1): Promise<number> {
  const row = await trx
    .updateTable("users")
    .set((eb) => ({ seq: eb("seq", "+", count) }))
    .where("id", "=", userId)
    .returning("seq")
    .executeTakeFirstOrThrow();
  return Number(row.seq) - count + 1;
}

export const blobIds = (blobKey: string) => ({
  content: `${blobKey}.content`,
  grid: `${blobKey}.grid`,
  preview: `${blobKey}.preview`,
});

/** Bytes a user's files hold (trashed ones count until deleted): the running total kept by `addUsedBytes`. */
export async function usedBytes(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom("users").select("used_bytes").where("id", "=", userId).executeTakeFirst();
  return Number(row?.used_bytes ?? 0);
}

/** Moves a user's running total by `delta` bytes, in the transaction that inserts or deletes the files. */
export async function addUsedBytes(trx: Db, userId: string, delta: number): Promise<void> {
  if (delta === 0) return;
  await trx
    .updateTable("users")
    .set((eb) => ({ used_bytes: eb("used_bytes", "+", delta) }))
    .where("id", "=", userId)
    .execute();
}

/** Bytes reserved by a user's unfinished or uncommitted uploads. */
export async function pendingBytes(db: Db, userId: string, exceptUploadId?: string): Promise<number> {
  let query = db
    .selectFrom("uploads")
    .select((eb) => eb.fn.sum<number>("size").as("total"))
    .where("user_id", "=", userId);
  if (exceptUploadId) query = query.where("id", "!=", exceptUploadId);
  const row = await query.executeTakeFirst();
  return Number(row?.total ?? 0);
}
