import type { CreateLinkBody, LinkRecord, PublicLinkResponse } from "@umbra/protocol";
import type { Selectable } from "kysely";
import type { LinksTable } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { HttpError, invalid, notFound } from "../http-error.js";
import { nowIso } from "../tokens.js";
import { ownRow } from "./access.js";
import { albumFileRecords, keyChain } from "./albums.js";
import type { Db } from "./db.js";

type LinkRow = Selectable<LinksTable>;

function toLinkRecord(row: LinkRow): LinkRecord {
  return {
    id: row.id,
    kind: row.kind,
    targetId: row.target_id,
    keyVersion: Number(row.key_version),
    kdf: row.kdf ? JSON.parse(row.kdf) : null,
    expiresAt: row.expires_at,
    allowDownload: Number(row.allow_download) === 1,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    roster: row.roster ? JSON.parse(row.roster) : null,
  };
}

const gone = (why: string) => new HttpError("GONE", `this link ${why}`);

/** A link to one of the caller's albums or files. */
export async function createLink(db: Db, userId: string, body: CreateLinkBody): Promise<LinkRecord> {
  const table = body.kind === "album" ? "albums" : "files";
  if (!body.targetId.startsWith(body.kind === "album" ? "a_" : "f_")) {
    throw invalid(`targetId must be ${body.kind === "album" ? "an album" : "a file"} id`);
  }
  await ownRow(db, table, userId, body.targetId);
  if (body.expiresAt !== null && body.expiresAt <= nowIso()) {
    throw invalid("expiresAt must be in the future");
  }
  const row: LinkRow = {
    id: body.id,
    user_id: userId,
    kind: body.kind,
    target_id: body.targetId,
    wrapped_key: body.wrappedKey,
    key_version: body.keyVersion,
    kdf: body.kdf ? JSON.stringify(body.kdf) : null,
    expires_at: body.expiresAt,
    allow_download: body.allowDownload ? 1 : 0,
    created_at: nowIso(),
    revoked_at: null,
    roster: body.roster ? JSON.stringify(body.roster) : null,
  };
  try {
    await db.insertInto("links").values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new HttpError("DUPLICATE_ID", "a link with this id exists");
    throw error;
  }
  return toLinkRecord(row);
}

export async function listOwnLinks(db: Db, userId: string): Promise<LinkRecord[]> {
  const rows = await db
    .selectFrom("links")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
  return rows.map(toLinkRecord);
}

/** Replaces the roster of one of the caller's album links. */
export async function setLinkRoster(db: Db, userId: string, linkId: string, roster: unknown): Promise<void> {
  const result = await db
    .updateTable("links")
    .set({ roster: JSON.stringify(roster) })
    .where("id", "=", linkId)
    .where("user_id", "=", userId)
    .where("kind", "=", "album")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound("album link");
}

/** Revokes one of the caller's links (a second revocation keeps the first date). */
export async function revokeLink(db: Db, userId: string, linkId: string): Promise<void> {
  const result = await db
    .updateTable("links")
    .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(nowIso())) }))
    .where("id", "=", linkId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound("link");
}

/** A live link, or 404 (never existed) / 410 (revoked or expired: its owner ended it). */
export async function liveLink(db: Db, linkId: string): Promise<LinkRow> {
  const row = await db.selectFrom("links").selectAll().where("id", "=", linkId).executeTakeFirst();
  if (!row) throw notFound("link");
  if (row.revoked_at !== null) throw gone("was revoked");
  if (row.expires_at !== null && row.expires_at <= nowIso()) throw gone("has expired");
  return row;
}

/** A file a link reaches: the one file, or a live file of the album. */
export async function linkedFile(db: Db, link: LinkRow, fileId: string) {
  const allowed =
    link.kind === "file"
      ? link.target_id === fileId
      : Boolean(
          await db
            .selectFrom("album_files")
            .select("file_id")
            .where("album_id", "=", link.target_id)
            .where("file_id", "=", fileId)
            .executeTakeFirst(),
        );
  const row = allowed
    ? await db.selectFrom("files").selectAll().where("id", "=", fileId).executeTakeFirst()
    : undefined;
  if (!row || row.trashed_at !== null) throw notFound("file");
  return row;
}

/** What a visitor of a live link receives: the wrapped key and everything the link reaches. */
export async function publicLink(db: Db, link: LinkRow): Promise<PublicLinkResponse> {
  const common = {
    id: link.id,
    kind: link.kind,
    targetId: link.target_id,
    wrappedKey: link.wrapped_key,
    keyVersion: Number(link.key_version),
    kdf: link.kdf ? JSON.parse(link.kdf) : null,
    allowDownload: Number(link.allow_download) === 1,
    expiresAt: link.expires_at,
    roster: link.roster ? JSON.parse(link.roster) : null,
  };
  if (link.kind === "album") {
    const album = await db
      .selectFrom("albums")
      .select("encrypted_name")
      .where("id", "=", link.target_id)
      .executeTakeFirst();
    if (!album) throw gone("points to a deleted album");
    return {
      ...common,
      album: { encryptedName: album.encrypted_name },
      keyChain: await keyChain(db, link.target_id),
      files: await albumFileRecords(db, link.target_id),
    };
  }
  const file = await db.selectFrom("files").selectAll().where("id", "=", link.target_id).executeTakeFirst();
  if (!file || file.trashed_at !== null) throw gone("points to a deleted file");
  const record: PublicLinkResponse["files"][number] = {
    id: file.id,
    albumId: null,
    uploaderId: file.user_id,
    wrappedFileKey: null,
    keyVersion: 1,
    contentDigest: null,
    signature: null,
    encryptedMetadata: file.encrypted_metadata,
    contentSize: Number(file.content_size),
    thumbnails: { grid: Number(file.grid_size), preview: Number(file.preview_size) },
    createdAt: file.created_at,
    updatedAt: file.updated_at,
  };
  return { ...common, album: null, keyChain: [], files: [record] };
}
