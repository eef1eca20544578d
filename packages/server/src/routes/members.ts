import {
  AlbumFilesResponse,
  AlbumIdParams,
  KeyChainResponse,
  MembersResponse,
  PutMemberBody,
  RotateAlbumKeyBody,
  SharedAlbumsResponse,
  UserId,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { albumAudience } from "../events/audience.js";
import { notifyChange } from "../events/notify.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { albumAccess } from "../store/access.js";
import { albumFileRecords, keyChain } from "../store/albums.js";
import { leaveAlbum, listMembers, putMember, rotateAlbumKey, sharedAlbums } from "../store/members.js";

const MemberParams = z.object({ id: AlbumIdParams.shape.id, userId: UserId });

/** Album membership: grants, leaving, removal with key rotation, and what members can list. */
export function memberRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get(
      "/api/albums/:id/members",
      { schema: { params: AlbumIdParams, response: { 200: MembersResponse } } },
      async (request) => listMembers(ctx.db, sessionOf(request).userId, request.params.id),
    );

    app.put(
      "/api/albums/:id/members/:userId",
      { schema: { params: MemberParams, body: PutMemberBody, response: { 200: MembersResponse } } },
      async (request) => {
        const { id: albumId, userId } = request.params;
        const members = await putMember(ctx.db, sessionOf(request).userId, albumId, {
          userId,
          ...request.body,
        });
        notifyChange(ctx, request, "shared", await albumAudience(ctx.db, [albumId]));
        return members;
      },
    );

    // Leaving. An owner removing someone must rotate the key instead (POST …/rotate).
    app.delete(
      "/api/albums/:id/members/:userId",
      { schema: { params: MemberParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const { id: albumId, userId } = request.params;
        const audience = await albumAudience(ctx.db, [albumId]);
        await leaveAlbum(ctx.db, sessionOf(request).userId, albumId, userId);
        notifyChange(ctx, request, "shared", audience);
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/albums/:id/rotate",
      { schema: { params: AlbumIdParams, body: RotateAlbumKeyBody, response: { 200: MembersResponse } } },
      async (request) => {
        const { id } = request.params;
        // Taken before: removed members are told too (their open views then find the album gone).
        const audience = await albumAudience(ctx.db, [id]);
        const members = await rotateAlbumKey(ctx.db, sessionOf(request).userId, id, request.body);
        notifyChange(ctx, request, "library", audience);
        return members;
      },
    );

    app.get("/api/shared", { schema: { response: { 200: SharedAlbumsResponse } } }, async (request) =>
      sharedAlbums(ctx.db, sessionOf(request).userId),
    );

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
