import {
  AddToAlbumBody,
  AlbumFileParams,
  AlbumIdParams,
  AlbumRecord,
  AlbumsResponse,
  CreateAlbumBody,
  RenameAlbumBody,
  RewrapAlbumKeyBody,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { albumAccess, forbidden } from "../album-access.js";
import type { AppContext } from "../context.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { conflict, HttpError, notFound } from "../http-error.js";
import { allocateSeq, type Db, toAlbumRecord } from "../records.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { nowIso } from "../tokens.js";

async function ownAlbum(db: Db, userId: string, albumId: string) {
  const album = await db
    .selectFrom("albums")
    .selectAll()
    .where("id", "=", albumId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!album) throw notFound("album");
  return album;
}

async function ownFile(db: Db, userId: string, fileId: string) {
  const file = await db
    .selectFrom("files")
    .select("id")
    .where("id", "=", fileId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!file) throw notFound("file");
  return file;
}

export function albumRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get("/api/albums", { schema: { response: { 200: AlbumsResponse } } }, async (request) => {
      const rows = await ctx.db
        .selectFrom("albums")
        .selectAll()
        .where("user_id", "=", sessionOf(request).userId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return { albums: rows.map(toAlbumRecord) };
    });

    app.post(
      "/api/albums",
      { schema: { body: CreateAlbumBody, response: { 201: AlbumRecord } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const { id, encryptedName, wrappedAlbumKey } = request.body;
        const now = nowIso();
        const duplicate = () => conflict("DUPLICATE_ID", "an album with this id exists");
        try {
          const row = await ctx.db.transaction().execute(async (trx) => {
            const taken = await trx
              .selectFrom("albums")
              .select("id")
              .where("id", "=", id)
              .unionAll(trx.selectFrom("tombstones").select("object_id as id").where("object_id", "=", id))
              .executeTakeFirst();
            if (taken) throw duplicate();
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
          return reply.code(201).send(toAlbumRecord(row));
        } catch (error) {
          if (isUniqueViolation(error)) throw duplicate();
          throw error;
        }
      },
    );

    app.patch(
      "/api/albums/:id",
      { schema: { params: AlbumIdParams, body: RenameAlbumBody, response: { 200: AlbumRecord } } },
      async (request) => {
        const userId = sessionOf(request).userId;
        const row = await ctx.db.transaction().execute(async (trx) => {
          await ownAlbum(trx, userId, request.params.id);
          const seq = await allocateSeq(trx, userId);
          await trx
            .updateTable("albums")
            .set({ encrypted_name: request.body.encryptedName, updated_at: nowIso(), seq })
            .where("id", "=", request.params.id)
            .execute();
          return ownAlbum(trx, userId, request.params.id);
        });
        return toAlbumRecord(row);
      },
    );

    app.put(
      "/api/albums/:id/wrapped-key",
      { schema: { params: AlbumIdParams, body: RewrapAlbumKeyBody, response: { 200: AlbumRecord } } },
      async (request) => {
        const userId = sessionOf(request).userId;
        const row = await ctx.db.transaction().execute(async (trx) => {
          const album = await ownAlbum(trx, userId, request.params.id);
          if (Number(album.key_version) !== request.body.keyVersion) {
            throw conflict("KEY_VERSION_CHANGED", "the album key was rotated meanwhile");
          }
          const seq = await allocateSeq(trx, userId);
          await trx
            .updateTable("albums")
            .set({ wrapped_album_key: request.body.wrappedAlbumKey, updated_at: nowIso(), seq })
            .where("id", "=", request.params.id)
            .execute();
          return ownAlbum(trx, userId, request.params.id);
        });
        return toAlbumRecord(row);
      },
    );

    app.delete(
      "/api/albums/:id",
      { schema: { params: AlbumIdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const albumId = request.params.id;
        await ctx.db.transaction().execute(async (trx) => {
          const album = await ownAlbum(trx, userId, albumId);
          if (album.kind === "library")
            throw conflict("LIBRARY_ALBUM", "the library album cannot be deleted");
          const members = await trx
            .selectFrom("album_files")
            .select("file_id")
            .where("album_id", "=", albumId)
            .where("user_id", "=", userId)
            .execute();
          const fileIds = members.map((m) => m.file_id);
          // Files that were only in this album go to the trash (their membership goes with the album).
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
          await trx
            .deleteFrom("links")
            .where("kind", "=", "album")
            .where("target_id", "=", albumId)
            .execute();
          await trx
            .insertInto("tombstones")
            .values({ user_id: userId, kind: "album", object_id: albumId, seq })
            .execute();
        });
        return reply.code(204).send(null);
      },
    );

    app.put(
      "/api/albums/:id/files/:fileId",
      { schema: { params: AlbumFileParams, body: AddToAlbumBody, response: { 204: z.null() } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const { id: albumId, fileId } = request.params;
        const body = request.body;
        await ctx.db.transaction().execute(async (trx) => {
          const { album, role } = await albumAccess(trx, userId, albumId);
          if (role === "viewer") throw forbidden("viewers cannot add files to this album");
          await ownFile(trx, userId, fileId);
          // The file key is wrapped by the album's current key; a client that missed a rotation must retry.
          const keyVersion = Number(album.key_version);
          if (body.keyVersion !== undefined && body.keyVersion !== keyVersion) {
            throw conflict("KEY_VERSION_CHANGED", "the album key was rotated; wrap with the current key");
          }
          if (role === "contributor" && body.signature === undefined) {
            throw new HttpError(400, "VALIDATION_FAILED", "files added to a shared album must be signed");
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
          await trx
            .updateTable("files")
            .set({ seq, updated_at: nowIso() })
            .where("id", "=", fileId)
            .execute();
        });
        return reply.code(204).send(null);
      },
    );

    app.delete(
      "/api/albums/:id/files/:fileId",
      { schema: { params: AlbumFileParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const { id: albumId, fileId } = request.params;
        await ctx.db.transaction().execute(async (trx) => {
          const { album, role } = await albumAccess(trx, userId, albumId);
          const placement = await trx
            .selectFrom("album_files")
            .select("user_id")
            .where("album_id", "=", albumId)
            .where("file_id", "=", fileId)
            .executeTakeFirst();
          if (!placement) throw notFound("file in album");
          // Owners remove anything from their album; contributors only what they added.
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
              throw conflict("LAST_ALBUM", "a file's last album cannot be removed");
          }
          await trx
            .deleteFrom("album_files")
            .where("album_id", "=", albumId)
            .where("file_id", "=", fileId)
            .execute();
          const seq = await allocateSeq(trx, placement.user_id);
          await trx
            .updateTable("files")
            .set({ seq, updated_at: nowIso() })
            .where("id", "=", fileId)
            .execute();
        });
        return reply.code(204).send(null);
      },
    );
  };
}
