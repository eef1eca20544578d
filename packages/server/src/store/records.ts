import type { AlbumRecord, FileRecord } from "@umbra/protocol";
import type { Selectable } from "kysely";
import type { AlbumsTable, FilesTable } from "../db/schema.js";
import type { Db } from "./db.js";

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
    ...(row.live_appended_at != null && { live: true as const }),
  }));
}

export async function fileRecord(db: Db, row: Selectable<FilesTable>): Promise<FileRecord> {
  const [record] = await toFileRecords(db, [row]);
  return record!;
}
