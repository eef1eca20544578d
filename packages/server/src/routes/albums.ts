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
import type { AppContext } from "../context.js";
import { albumAudience } from "../events/audience.js";
import { notifyChange } from "../events/notify.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { createAlbum, deleteAlbum, listOwnAlbums, renameAlbum, rewrapAlbumKey } from "../store/albums.js";
import { placeFile, removePlacement } from "../store/placements.js";

export function albumRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get("/api/albums", { schema: { response: { 200: AlbumsResponse } } }, async (request) => ({
      albums: await listOwnAlbums(ctx.db, sessionOf(request).userId),
    }));

    app.post(
      "/api/albums",
      { schema: { body: CreateAlbumBody, response: { 201: AlbumRecord } } },
      async (request, reply) => {
        const album = await createAlbum(ctx.db, sessionOf(request).userId, request.body);
        notifyChange(ctx, request, "library");
        return reply.code(201).send(album);
      },
    );

    app.patch(
      "/api/albums/:id",
      { schema: { params: AlbumIdParams, body: RenameAlbumBody, response: { 200: AlbumRecord } } },
      async (request) => {
        const { id } = request.params;
        const album = await renameAlbum(ctx.db, sessionOf(request).userId, id, request.body.encryptedName);
        notifyChange(ctx, request, "library", await albumAudience(ctx.db, [id]));
        return album;
      },
    );

    app.put(
      "/api/albums/:id/wrapped-key",
      { schema: { params: AlbumIdParams, body: RewrapAlbumKeyBody, response: { 200: AlbumRecord } } },
      async (request) => {
        const album = await rewrapAlbumKey(
          ctx.db,
          sessionOf(request).userId,
          request.params.id,
          request.body,
        );
        notifyChange(ctx, request, "library");
        return album;
      },
    );

    app.delete(
      "/api/albums/:id",
      { schema: { params: AlbumIdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const audience = await albumAudience(ctx.db, [request.params.id]);
        await deleteAlbum(ctx.db, sessionOf(request).userId, request.params.id);
        notifyChange(ctx, request, "library", audience);
        return reply.code(204).send(null);
      },
    );

    app.put(
      "/api/albums/:id/files/:fileId",
      { schema: { params: AlbumFileParams, body: AddToAlbumBody, response: { 204: z.null() } } },
      async (request, reply) => {
        const { id: albumId, fileId } = request.params;
        await placeFile(ctx.db, sessionOf(request).userId, albumId, fileId, request.body);
        notifyChange(ctx, request, "library", await albumAudience(ctx.db, [albumId]));
        return reply.code(204).send(null);
      },
    );

    app.delete(
      "/api/albums/:id/files/:fileId",
      { schema: { params: AlbumFileParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const { id: albumId, fileId } = request.params;
        await removePlacement(ctx.db, sessionOf(request).userId, albumId, fileId);
        notifyChange(ctx, request, "library", await albumAudience(ctx.db, [albumId]));
        return reply.code(204).send(null);
      },
    );
  };
}
