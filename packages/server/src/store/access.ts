import type { Selectable } from "kysely";
import type { Database } from "../db/schema.js";
import { forbidden, HttpError, notFound } from "../http-error.js";
import type { Db } from "./db.js";

export type AlbumRole = "owner" | "viewer" | "contributor";

/** The album and the caller's role in it; albums the caller neither owns nor is a member of are 404 (not 403). */
export async function albumAccess(db: Db, userId: string, albumId: string) {
  const album = await db.selectFrom("albums").selectAll().where("id", "=", albumId).executeTakeFirst();
  if (!album) throw notFound("album");
  if (album.user_id === userId) return { album, role: "owner" as AlbumRole };
  const member = await db
    .selectFrom("album_members")
    .select("role")
    .where("album_id", "=", albumId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!member) throw notFound("album");
  return { album, role: member.role as AlbumRole };
}

/** Tables whose rows belong to one user (user_id), which only that user may change. */
type OwnedTable = "albums" | "files" | "uploads";
const OWNED_NAMES: Record<OwnedTable, string> = { albums: "album", files: "file", uploads: "upload" };

/** The one ownership check: the caller's own row of `table`; anyone else's is 404 as a missing one. */
export async function ownRow<T extends OwnedTable>(
  db: Db,
  table: T,
  userId: string,
  id: string,
): Promise<Selectable<Database[T]>> {
  const row = await db
    .selectFrom(table as OwnedTable)
    .selectAll()
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!row) throw notFound(OWNED_NAMES[table]);
  return row as Selectable<Database[T]>;
}

/** An album the caller owns; a member's or a stranger's album is 404 as a missing one. */
export const ownAlbum = (db: Db, userId: string, albumId: string) => ownRow(db, "albums", userId, albumId);

/** A file the caller uploaded (trashed or not). */
export const ownFile = (db: Db, userId: string, fileId: string) => ownRow(db, "files", userId, fileId);

/** An album the caller owns and may share: not the library album. */
export async function ownShareableAlbum(db: Db, userId: string, albumId: string) {
  const { album, role } = await albumAccess(db, userId, albumId);
  if (role !== "owner") throw forbidden("only the album's owner manages its members");
  if (album.kind === "library") throw new HttpError("LIBRARY_ALBUM", "the library album cannot be shared");
  return album;
}

/**
 * A file row the caller may read: their own, or one placed (not trashed) in an album they own or are a member of.
 * Everyone else gets 404, so file ids of other people's libraries cannot be probed.
 */
export async function readableFile(db: Db, userId: string, fileId: string) {
  const row = await db.selectFrom("files").selectAll().where("id", "=", fileId).executeTakeFirst();
  if (!row) throw notFound("file");
  if (row.user_id === userId) return row;
  if (row.trashed_at !== null) throw notFound("file");
  const shared = await db
    .selectFrom("album_files")
    .innerJoin("albums", "albums.id", "album_files.album_id")
    .leftJoin("album_members", (join) =>
      join
        .onRef("album_members.album_id", "=", "album_files.album_id")
        .on("album_members.user_id", "=", userId),
    )
    .select("album_files.album_id")
    .where("album_files.file_id", "=", fileId)
    .where((eb) => eb.or([eb("albums.user_id", "=", userId), eb("album_members.user_id", "=", userId)]))
    .executeTakeFirst();
  if (!shared) throw notFound("file");
  return row;
}
