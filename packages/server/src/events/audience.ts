import type { Db } from "../store/db.js";

/** The owners and members of these albums: who is told when something in them changes. */
export async function albumAudience(db: Db, albumIds: readonly string[]): Promise<string[]> {
  if (albumIds.length === 0) return [];
  const rows = await db
    .selectFrom("albums")
    .select("user_id")
    .where("id", "in", albumIds)
    .union(db.selectFrom("album_members").select("user_id").where("album_id", "in", albumIds))
    .execute();
  return rows.map((row) => row.user_id);
}

/** The owners and members of every album holding one of these files (taken before a deletion, or after a change). */
export async function fileAudience(db: Db, fileIds: readonly string[]): Promise<string[]> {
  if (fileIds.length === 0) return [];
  const rows = await db
    .selectFrom("album_files")
    .select("album_id")
    .distinct()
    .where("file_id", "in", fileIds)
    .execute();
  return albumAudience(
    db,
    rows.map((row) => row.album_id),
  );
}
