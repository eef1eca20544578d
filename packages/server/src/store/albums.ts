import type {
  AlbumFileRecord,
  AlbumRecord,
  CreateAlbumBody,
  KeyChainLink,
  RewrapAlbumKeyBody,
} from "@umbra/protocol";
import type { Kysely, Selectable } from "kysely";
import type { AlbumsTable, Database } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { HttpError } from "../http-error.js";
import { nowIso } from "../tokens.js";
import { ownAlbum } from "./access.js";
import type { Db } from "./db.js";
import { toAlbumRecord } from "./records.js";
import { allocateSeq, objectIdTaken } from "./sequence.js";

export async function listOwnAlbums(db: Db, userId: string): Promise<AlbumRecord[]> {
  const rows = await db
    .selectFrom("albums")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toAlbumRecord);
}

export async function createAlbum(
  db: Kysely<Database>,
  userId: string,
  { id, encryptedName, wrappedAlbumKey }: CreateAlbumBody,
): Promise<AlbumRecord> {
  const now = nowIso();
  const duplicate = () => new HttpError("DUPLICATE_ID", "an album with this id exists");
  try {
    const row = await db.transaction().execute(async (trx) => {
      if (await objectIdTaken(trx, "albums", id)) throw duplicate();
      const seq = await allocateSeq(trx, userId);
      const values = {
        id,
        user_id: userId,
        kind: "user" as const,
        encrypted_name: encryptedName,
        wrapped_album_key: wrappedAlbumKey,
        created_at: now,
        updated_at: now,
        seq,
        key_version: 1,
      };
      await trx.insertInto("albums").values(values).execute();
      return values;
    });
    return toAlbumRecord(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

/** Changes one of the caller's albums with a new sequence number; `check` sees the album first and may refuse. */
async function updateOwnAlbum(
  db: Kysely<Database>,
  userId: string,
  albumId: string,
  change: { encrypted_name?: string; wrapped_album_key?: string },
  check: (album: Selectable<AlbumsTable>) => void = () => undefined,
): Promise<AlbumRecord> {
  const row = await db.transaction().execute(async (trx) => {
    check(await ownAlbum(trx, userId, albumId));
    const seq = await allocateSeq(trx, userId);
    await trx
      .updateTable("albums")
      .set({ ...change, updated_at: nowIso(), seq })
      .where("id", "=", albumId)
      .execute();
    return ownAlbum(trx, userId, albumId);
  });
  return toAlbumRecord(row);
}

export const renameAlbum = (db: Kysely<Database>, userId: string, albumId: string, encryptedName: string) =>
  updateOwnAlbum(db, userId, albumId, { encrypted_name: encryptedName });

/** Re-wraps the album key (a new master key), refused when the key was rotated since the client read it. */
export const rewrapAlbumKey = (
  db: Kysely<Database>,
  userId: string,
  albumId: string,
  { wrappedAlbumKey, keyVersion }: RewrapAlbumKeyBody,
) =>
  updateOwnAlbum(db, userId, albumId, { wrapped_album_key: wrappedAlbumKey }, (album) => {
    if (Number(album.key_version) !== keyVersion) {
      throw new HttpError("KEY_VERSION_CHANGED", "the album key was rotated meanwhile");
    }
  });

/**
 * Deletes one of the caller's albums (not the library) with its sharing rows and links. Files that were only in
 * this album go to the trash (their membership goes with the album).
 */
export async function deleteAlbum(db: Kysely<Database>, userId: string, albumId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const album = await ownAlbum(trx, userId, albumId);
    if (album.kind === "library") throw new HttpError("LIBRARY_ALBUM", "the library album cannot be deleted");
    const members = await trx
      .selectFrom("album_files")
      .select("file_id")
      .where("album_id", "=", albumId)
      .where("user_id", "=", userId)
      .execute();
    const fileIds = members.map((m) => m.file_id);
    const onlyHere = new Set(fileIds);
    if (fileIds.length > 0) {
      const elsewhere = await trx
        .selectFrom("album_files")
        .select("file_id")
        .where("file_id", "in", fileIds)
        .where("album_id", "!=", albumId)
        .execute();
      for (const e of elsewhere) onlyHere.delete(e.file_id);
    }
    const now = nowIso();
    let seq = await allocateSeq(trx, userId, fileIds.length + 1);
    await trx.deleteFrom("album_files").where("album_id", "=", albumId).execute();
    for (const fileId of fileIds) {
      const trash = onlyHere.has(fileId);
      await trx
        .updateTable("files")
        .set((eb) => ({
          seq: seq++,
          updated_at: now,
          trashed_at: trash ? eb.fn.coalesce("trashed_at", eb.val(now)) : eb.ref("trashed_at"),
        }))
        .where("id", "=", fileId)
        .execute();
    }
    await trx.deleteFrom("albums").where("id", "=", albumId).execute();
    await trx.deleteFrom("album_members").where("album_id", "=", albumId).execute();
    await trx.deleteFrom("album_key_chain").where("album_id", "=", albumId).execute();
    await trx.deleteFrom("links").where("kind", "=", "album").where("target_id", "=", albumId).execute();
    await trx
      .insertInto("tombstones")
      .values({ user_id: userId, kind: "album", object_id: albumId, seq })
      .execute();
  });
}

/** The album's earlier keys, each wrapped by its successor, oldest first. */
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
      "files.live_appended_at",
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
    ...(r.live_appended_at != null && { live: true as const }),
  }));
}
