import {
  AlbumFilesResponse,
  AlbumIdParams,
  KeyChainResponse,
  type MemberGrant,
  MembersResponse,
  PutMemberBody,
  RotateAlbumKeyBody,
  SharedAlbumsResponse,
  UserId,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { albumAccess, albumFileRecords, forbidden, keyChain } from "../album-access.js";
import type { AppContext } from "../context.js";
import { conflict, HttpError, notFound } from "../http-error.js";
import { allocateSeq, type Db } from "../records.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { nowIso } from "../tokens.js";
import { userKeys } from "./identity.js";

const MemberParams = z.object({ id: AlbumIdParams.shape.id, userId: UserId });

const invalid = (message: string) => new HttpError(400, "VALIDATION_FAILED", message);

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

async function ownedShareableAlbum(db: Db, userId: string, albumId: string) {
  const { album, role } = await albumAccess(db, userId, albumId);
  if (role !== "owner") throw forbidden("only the album's owner manages its members");
  if (album.kind === "library") throw conflict("LIBRARY_ALBUM", "the library album cannot be shared");
  return album;
}

/** Album membership: grants, leaving, removal with key rotation, and what members can list. */
export function memberRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get(
      "/api/albums/:id/members",
      { schema: { params: AlbumIdParams, response: { 200: MembersResponse } } },
      async (request) => {
        await albumAccess(ctx.db, sessionOf(request).userId, request.params.id);
        return membersResponse(ctx.db, request.params.id);
      },
    );

    app.put(
      "/api/albums/:id/members/:userId",
      { schema: { params: MemberParams, body: PutMemberBody, response: { 200: MembersResponse } } },
      async (request) => {
        const ownerId = sessionOf(request).userId;
        const { id: albumId, userId } = request.params;
        const member = { userId, ...request.body };
        return ctx.db.transaction().execute(async (trx) => {
          const album = await ownedShareableAlbum(trx, ownerId, albumId);
          if (userId === ownerId) throw invalid("the owner cannot be a member of their own album");
          await userKeys(trx, { id: userId });
          if (member.keyVersion !== Number(album.key_version)) {
            throw conflict("KEY_VERSION_CHANGED", "the album key was rotated; seal the current key");
          }
          assertGrantMatches(albumId, ownerId, member);
          const values = {
            role: member.role,
            key_version: member.keyVersion,
            sealed_album_key: member.sealedAlbumKey,
            grant: JSON.stringify(member.grant),
          };
          const updated = await trx
            .updateTable("album_members")
            .set(values)
            .where("album_id", "=", albumId)
            .where("user_id", "=", userId)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) === 0) {
            await trx
              .insertInto("album_members")
              .values({ album_id: albumId, user_id: userId, created_at: nowIso(), ...values })
              .execute();
          }
          return membersResponse(trx, albumId);
        });
      },
    );

    // Leaving. An owner removing someone must rotate the key instead (POST …/rotate).
    app.delete(
      "/api/albums/:id/members/:userId",
      { schema: { params: MemberParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const callerId = sessionOf(request).userId;
        const { id: albumId, userId } = request.params;
        const { role } = await albumAccess(ctx.db, callerId, albumId);
        if (role === "owner") {
          throw conflict(
            "ROTATION_REQUIRED",
            "removing a member rotates the album key: use POST /api/albums/:id/rotate",
          );
        }
        if (userId !== callerId) throw forbidden("members can only remove themselves");
        await ctx.db.transaction().execute(async (trx) => {
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
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/albums/:id/rotate",
      { schema: { params: AlbumIdParams, body: RotateAlbumKeyBody, response: { 200: MembersResponse } } },
      async (request) => {
        const ownerId = sessionOf(request).userId;
        const albumId = request.params.id;
        const body = request.body;
        return ctx.db.transaction().execute(async (trx) => {
          const album = await ownedShareableAlbum(trx, ownerId, albumId);
          const current = Number(album.key_version);
          if (body.keyVersion !== current + 1) {
            throw conflict("KEY_VERSION_CHANGED", `the next key version is ${current + 1}`);
          }
          const existing = await members(trx, albumId);
          const remove = new Set(body.remove);
          for (const id of remove) {
            if (!existing.some((m) => m.userId === id)) throw notFound(`member ${id}`);
          }
          const remaining = existing.filter((m) => !remove.has(m.userId)).map((m) => m.userId);
          const given = body.members.map((m) => m.userId);
          if (remaining.length !== given.length || !remaining.every((id) => given.includes(id))) {
            throw conflict("MEMBERS_CHANGED", "the new key must be sealed to exactly the remaining members");
          }
          for (const member of body.members) {
            if (member.keyVersion !== body.keyVersion)
              throw invalid("every grant must carry the new key version");
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
              .set({
                role: member.role,
                key_version: member.keyVersion,
                sealed_album_key: member.sealedAlbumKey,
                grant: JSON.stringify(member.grant),
              })
              .where("album_id", "=", albumId)
              .where("user_id", "=", member.userId)
              .execute();
          }
          return membersResponse(trx, albumId);
        });
      },
    );

    app.get("/api/shared", { schema: { response: { 200: SharedAlbumsResponse } } }, async (request) => {
      const userId = sessionOf(request).userId;
      const rows = await ctx.db
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
          keyChain: await keyChain(ctx.db, r.id),
        });
      }
      return { albums };
    });

    app.get(
      "/api/albums/:id/key-chain",
      { schema: { params: AlbumIdParams, response: { 200: KeyChainResponse } } },
      async (request) => {
        const { album } = await albumAccess(ctx.db, sessionOf(request).userId, request.params.id);
        return { keyVersion: Number(album.key_version), keyChain: await keyChain(ctx.db, album.id) };
      },
    );

    app.get(
      "/api/albums/:id/files",
      { schema: { params: AlbumIdParams, response: { 200: AlbumFilesResponse } } },
      async (request) => {
        const { album } = await albumAccess(ctx.db, sessionOf(request).userId, request.params.id);
        return {
          albumId: album.id,
          keyVersion: Number(album.key_version),
          keyChain: await keyChain(ctx.db, album.id),
          files: await albumFileRecords(ctx.db, album.id),
        };
      },
    );
  };
}
