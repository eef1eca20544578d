import type { AddToAlbumBody } from "@umbra/protocol";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { forbidden, HttpError, invalid, notFound } from "../http-error.js";
import { nowIso } from "../tokens.js";
import { albumAccess, ownFile } from "./access.js";
import type { Db } from "./db.js";
import { allocateSeq } from "./sequence.js";

/** Gives the file a new sequence number, so its owner's devices see its album list changed. */
async function touchFile(trx: Db, fileId: string, seq: number): Promise<void> {
  await trx.updateTable("files").set({ seq, updated_at: nowIso() }).where("id", "=", fileId).execute();
}

/** Places one of the caller's files in an album they own or contribute to, or re-wraps its key there. */
export async function placeFile(
  db: Kysely<Database>,
  userId: string,
  albumId: string,
  fileId: string,
  body: AddToAlbumBody,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { album, role } = await albumAccess(trx, userId, albumId);
    if (role === "viewer") throw forbidden("viewers cannot add files to this album");
    await ownFile(trx, userId, fileId);
    // The file key is wrapped by the album's current key; a client that missed a rotation must retry.
    const keyVersion = Number(album.key_version);
    if (body.keyVersion !== undefined && body.keyVersion !== keyVersion) {
      throw new HttpError("KEY_VERSION_CHANGED", "the album key was rotated; wrap with the current key");
    }
    if (role === "contributor" && body.signature === undefined) {
      throw invalid("files added to a shared album must be signed");
    }
    const seq = await allocateSeq(trx, userId);
    const values = {
      wrapped_file_key: body.wrappedFileKey,
      key_version: keyVersion,
      content_digest: body.contentDigest ?? null,
      signature: body.signature ?? null,
    };
    const existing = await trx
      .selectFrom("album_files")
      .select("file_id")
      .where("album_id", "=", albumId)
      .where("file_id", "=", fileId)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable("album_files")
        .set(values)
        .where("album_id", "=", albumId)
        .where("file_id", "=", fileId)
        .execute();
    } else {
      await trx
        .insertInto("album_files")
        .values({ album_id: albumId, file_id: fileId, user_id: userId, added_seq: seq, ...values })
        .execute();
    }
    await touchFile(trx, fileId, seq);
  });
}

/**
 * Takes a file out of an album: owners remove anything from their album, contributors only what they added;
 * a file's last album of its owner's stays.
 */
export async function removePlacement(
  db: Kysely<Database>,
  userId: string,
  albumId: string,
  fileId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { album, role } = await albumAccess(trx, userId, albumId);
    const placement = await trx
      .selectFrom("album_files")
      .select("user_id")
      .where("album_id", "=", albumId)
      .where("file_id", "=", fileId)
      .executeTakeFirst();
    if (!placement) throw notFound("file in album");
    if (role !== "owner" && placement.user_id !== userId) {
      throw forbidden("contributors can only remove their own files");
    }
    if (placement.user_id === album.user_id) {
      const ownersAlbums = await trx
        .selectFrom("album_files")
        .innerJoin("albums", "albums.id", "album_files.album_id")
        .select("album_files.album_id")
        .where("album_files.file_id", "=", fileId)
        .whereRef("albums.user_id", "=", "album_files.user_id")
        .execute();
      if (ownersAlbums.length === 1)
        throw new HttpError("LAST_ALBUM", "a file's last album cannot be removed");
    }
    await trx
      .deleteFrom("album_files")
      .where("album_id", "=", albumId)
      .where("file_id", "=", fileId)
      .execute();
    await touchFile(trx, fileId, await allocateSeq(trx, placement.user_id));
  });
}
