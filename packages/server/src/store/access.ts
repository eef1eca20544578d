import type { AlbumFileRecord, KeyChainLink } from "@umbra/protocol";
import { HttpError, notFound } from "./http-error.js";
import type { Db } from "./records.js";

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

export const forbidden = (message: string) => new HttpError(403, "FORBIDDEN", message);

/**
 * A file row the caller may read: their own, or one placed (not trashed) in an album they own or are a member of.
 * Everyone else gets 404, so file ids of other people's libraries cannot be probed.
 */
export async function readableFileRow(db: Db, userId: string, fileId: string) {
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

export async function keyChain(db: Db, albumId: string): Promise<KeyChainLink[]> {
  const rows = await db
    .selectFrom("album_key_chain")
    .select(["version", "wrapped_key"])
    .where("album_id", "=", albumId)
    .orderBy("version")
    .execute();
  return rows.map((r) => ({ version: Number(r.version), wrappedKey: r.wrapped_key }));
}

/** Every live (not trashed) file placed in an album, whoever uploaded it, with what the uploader signed. */
export async function albumFileRecords(db: Db, albumId: string): Promise<AlbumFileRecord[]> {
  const rows = await db
    .selectFrom("album_files")
    .innerJoin("files", "files.id", "album_files.file_id")
    .select([
      "files.id",
      "files.user_id",
      "files.encrypted_metadata",
      "files.content_size",
      "files.grid_size",
      "files.preview_size",
      "files.created_at",
      "files.updated_at",
      "album_files.wrapped_file_key",
      "album_files.key_version",
      "album_files.content_digest",
      "album_files.signature",
    ])
    .where("album_files.album_id", "=", albumId)
    .where("files.trashed_at", "is", null)
    .orderBy("album_files.added_seq")
    .orderBy("files.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    albumId,
    uploaderId: r.user_id,
    wrappedFileKey: r.wrapped_file_key,
    keyVersion: Number(r.key_version),
    contentDigest: r.content_digest,
    signature: r.signature,
    encryptedMetadata: r.encrypted_metadata,
    contentSize: Number(r.content_size),
    thumbnails: { grid: Number(r.grid_size), preview: Number(r.preview_size) },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
