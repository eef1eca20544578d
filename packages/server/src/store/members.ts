import type {
  MemberGrant,
  MembersResponse,
  PutMemberBody,
  RotateAlbumKeyBody,
  SharedAlbumsResponse,
} from "@umbra/protocol";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { forbidden, HttpError, invalid, notFound } from "../http-error.js";
import { nowIso } from "../tokens.js";
import { albumAccess, ownShareableAlbum } from "./access.js";
import { keyChain } from "./albums.js";
import type { Db } from "./db.js";
import { allocateSeq } from "./sequence.js";
import { userKeys } from "./users.js";

/** The server cannot check signatures it has no keys for, but it refuses grants that say something else than the row. */
function assertGrantMatches(albumId: string, ownerId: string, member: MemberGrant): void {
  const { grant } = member;
  if (
    grant.albumId !== albumId ||
    grant.granteeUserId !== member.userId ||
    grant.grantedBy !== ownerId ||
    grant.role !== member.role ||
    grant.keyVersion !== member.keyVersion
  ) {
    throw invalid(`the grant for ${member.userId} does not match its album, member, role or key version`);
  }
}

const memberColumns = (member: MemberGrant) => ({
  role: member.role,
  key_version: member.keyVersion,
  sealed_album_key: member.sealedAlbumKey,
  grant: JSON.stringify(member.grant),
});

async function members(db: Db, albumId: string) {
  const rows = await db
    .selectFrom("album_members")
    .innerJoin("users", "users.id", "album_members.user_id")
    .select([
      "album_members.user_id",
      "users.email",
      "album_members.role",
      "album_members.key_version",
      "album_members.sealed_album_key",
      "album_members.grant",
      "album_members.created_at",
    ])
    .where("album_members.album_id", "=", albumId)
    .orderBy("album_members.created_at")
    .orderBy("album_members.user_id")
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    email: r.email,
    role: r.role,
    keyVersion: Number(r.key_version),
    sealedAlbumKey: r.sealed_album_key,
    grant: JSON.parse(r.grant),
    createdAt: r.created_at,
  }));
}

async function membersResponse(db: Db, albumId: string): Promise<MembersResponse> {
  const album = await db
    .selectFrom("albums")
    .innerJoin("users", "users.id", "albums.user_id")
    .select(["albums.user_id", "albums.key_version", "users.email"])
    .where("albums.id", "=", albumId)
    .executeTakeFirstOrThrow();
  return {
    albumId,
    ownerId: album.user_id,
    ownerEmail: album.email,
    keyVersion: Number(album.key_version),
    members: await members(db, albumId),
  };
}

/** The album's owner and members, for anyone who may see the album. */
export async function listMembers(db: Db, userId: string, albumId: string): Promise<MembersResponse> {
  await albumAccess(db, userId, albumId);
  return membersResponse(db, albumId);
}

/** The owner grants (or changes) a member's role, sealed to the current album key. */
export async function putMember(
  db: Kysely<Database>,
  ownerId: string,
  albumId: string,
  member: PutMemberBody & { userId: string },
): Promise<MembersResponse> {
  return db.transaction().execute(async (trx) => {
    const album = await ownShareableAlbum(trx, ownerId, albumId);
    if (member.userId === ownerId) throw invalid("the owner cannot be a member of their own album");
    await userKeys(trx, { id: member.userId });
    if (member.keyVersion !== Number(album.key_version)) {
      throw new HttpError("KEY_VERSION_CHANGED", "the album key was rotated; seal the current key");
    }
    assertGrantMatches(albumId, ownerId, member);
    const values = memberColumns(member);
    const updated = await trx
      .updateTable("album_members")
      .set(values)
      .where("album_id", "=", albumId)
      .where("user_id", "=", member.userId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await trx
        .insertInto("album_members")
        .values({ album_id: albumId, user_id: member.userId, created_at: nowIso(), ...values })
        .execute();
    }
    return membersResponse(trx, albumId);
  });
}

/** A member leaves (with the files they placed). An owner removing someone must rotate the key instead. */
export async function leaveAlbum(
  db: Kysely<Database>,
  callerId: string,
  albumId: string,
  userId: string,
): Promise<void> {
  const { role } = await albumAccess(db, callerId, albumId);
  if (role === "owner") {
    throw new HttpError(
      "ROTATION_REQUIRED",
      "removing a member rotates the album key: use POST /api/albums/:id/rotate",
    );
  }
  if (userId !== callerId) throw forbidden("members can only remove themselves");
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("album_members")
      .where("album_id", "=", albumId)
      .where("user_id", "=", userId)
      .execute();
    await trx
      .deleteFrom("album_files")
      .where("album_id", "=", albumId)
      .where("user_id", "=", userId)
      .execute();
  });
}

/**
 * The owner moves the album to its next key: the previous key joins the chain, removed members (and the files
 * they placed) leave, and every remaining member gets the new key sealed.
 */
export async function rotateAlbumKey(
  db: Kysely<Database>,
  ownerId: string,
  albumId: string,
  body: RotateAlbumKeyBody,
): Promise<MembersResponse> {
  return db.transaction().execute(async (trx) => {
    const album = await ownShareableAlbum(trx, ownerId, albumId);
    const current = Number(album.key_version);
    if (body.keyVersion !== current + 1) {
      throw new HttpError("KEY_VERSION_CHANGED", `the next key version is ${current + 1}`);
    }
    const existing = await members(trx, albumId);
    const remove = new Set(body.remove);
    for (const id of remove) {
      if (!existing.some((m) => m.userId === id)) throw notFound(`member ${id}`);
    }
    const remaining = existing.filter((m) => !remove.has(m.userId)).map((m) => m.userId);
    const given = body.members.map((m) => m.userId);
    if (remaining.length !== given.length || !remaining.every((id) => given.includes(id))) {
      throw new HttpError("MEMBERS_CHANGED", "the new key must be sealed to exactly the remaining members");
    }
    for (const member of body.members) {
      if (member.keyVersion !== body.keyVersion) throw invalid("every grant must carry the new key version");
      assertGrantMatches(albumId, ownerId, member);
    }
    await trx
      .insertInto("album_key_chain")
      .values({ album_id: albumId, version: current, wrapped_key: body.previousKey })
      .execute();
    const seq = await allocateSeq(trx, ownerId);
    await trx
      .updateTable("albums")
      .set({
        wrapped_album_key: body.wrappedAlbumKey,
        encrypted_name: body.encryptedName,
        key_version: body.keyVersion,
        seq,
        updated_at: nowIso(),
      })
      .where("id", "=", albumId)
      .execute();
    if (remove.size > 0) {
      await trx
        .deleteFrom("album_members")
        .where("album_id", "=", albumId)
        .where("user_id", "in", [...remove])
        .execute();
      // A removed member's files leave the album with them (they stay in their own library).
      await trx
        .deleteFrom("album_files")
        .where("album_id", "=", albumId)
        .where("user_id", "in", [...remove])
        .execute();
    }
    for (const member of body.members) {
      await trx
        .updateTable("album_members")
        .set(memberColumns(member))
        .where("album_id", "=", albumId)
        .where("user_id", "=", member.userId)
        .execute();
    }
    return membersResponse(trx, albumId);
  });
}

/** Albums shared with the caller, with their membership and key chain. */
export async function sharedAlbums(db: Db, userId: string): Promise<SharedAlbumsResponse> {
  const rows = await db
    .selectFrom("album_members")
    .innerJoin("albums", "albums.id", "album_members.album_id")
    .innerJoin("users", "users.id", "albums.user_id")
    .select([
      "albums.id",
      "albums.user_id",
      "users.email",
      "albums.encrypted_name",
      "albums.key_version",
      "albums.updated_at",
      "album_members.role",
      "album_members.key_version as member_key_version",
      "album_members.sealed_album_key",
      "album_members.grant",
    ])
    .where("album_members.user_id", "=", userId)
    .orderBy("album_members.created_at")
    .execute();
  const albums = [];
  for (const r of rows) {
    albums.push({
      id: r.id,
      ownerId: r.user_id,
      ownerEmail: r.email,
      encryptedName: r.encrypted_name,
      keyVersion: Number(r.key_version),
      updatedAt: r.updated_at,
      membership: {
        userId,
        role: r.role,
        keyVersion: Number(r.member_key_version),
        sealedAlbumKey: r.sealed_album_key,
        grant: JSON.parse(r.grant),
      },
      keyChain: await keyChain(db, r.id),
    });
  }
  return { albums };
}
