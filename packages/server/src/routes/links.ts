import {
  CreateLinkBody,
  LinkIdParams,
  LinkRosterBody,
  LinksResponse,
  PublicLinkFileParams,
  PublicLinkResponse,
  PublicLinkThumbnailParams,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendFileBlob } from "../blob-response/send-blob.js";
import type { AppContext } from "../context.js";
import { notifyChange } from "../events/notify.js";
import { forbidden } from "../http-error.js";
import { requireSession, sessionOf } from "../session-auth.js";
import {
  createLink,
  linkedFile,
  listOwnLinks,
  liveLink,
  publicLink,
  revokeLink,
  setLinkRoster,
} from "../store/links.js";

export function linkRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const onRequest = requireSession(ctx);

    app.post(
      "/api/links",
      { onRequest, schema: { body: CreateLinkBody, response: { 201: LinksResponse.shape.links.element } } },
      async (request, reply) => {
        const link = await createLink(ctx.db, sessionOf(request).userId, request.body);
        notifyChange(ctx, request, "shared");
        return reply.code(201).send(link);
      },
    );

    app.get("/api/links", { onRequest, schema: { response: { 200: LinksResponse } } }, async (request) => ({
      links: await listOwnLinks(ctx.db, sessionOf(request).userId),
    }));

    app.put(
      "/api/links/:id/roster",
      { onRequest, schema: { params: LinkIdParams, body: LinkRosterBody, response: { 204: z.null() } } },
      async (request, reply) => {
        await setLinkRoster(ctx.db, sessionOf(request).userId, request.params.id, request.body.roster);
        notifyChange(ctx, request, "shared");
        return reply.code(204).send(null);
      },
    );

    app.delete(
      "/api/links/:id",
      { onRequest, schema: { params: LinkIdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await revokeLink(ctx.db, sessionOf(request).userId, request.params.id);
        notifyChange(ctx, request, "shared");
        return reply.code(204).send(null);
      },
    );

    // No session: the link id (derived from the secret in the URL fragment) is the only credential.
    app.get(
      "/api/public/links/:id",
      { schema: { params: LinkIdParams, response: { 200: PublicLinkResponse } } },
      async (request, reply) => {
        const link = await liveLink(ctx.db, request.params.id);
        reply.header("cache-control", "no-store");
        return publicLink(ctx.db, link);
      },
    );

    app.get(
      "/api/public/links/:id/files/:fileId/thumbnails/:variant",
      { schema: { params: PublicLinkThumbnailParams } },
      async (request, reply) => {
        const link = await liveLink(ctx.db, request.params.id);
        const row = await linkedFile(ctx.db, link, request.params.fileId);
        return sendFileBlob(ctx.blobs, request, reply, row, request.params.variant);
      },
    );

    app.get(
      "/api/public/links/:id/files/:fileId/content",
      { schema: { params: PublicLinkFileParams } },
      async (request, reply) => {
        const link = await liveLink(ctx.db, request.params.id);
        const row = await linkedFile(ctx.db, link, request.params.fileId);
        // Enforced for honest clients only: whoever can see a photo can copy it (THREAT_MODEL.md). A view-only
        // link still streams its videos, and players ask by Range; a whole-file download is refused.
        if (Number(link.allow_download) !== 1 && request.headers.range === undefined) {
          throw forbidden("this link does not allow downloads");
        }
        return sendFileBlob(ctx.blobs, request, reply, row, "content");
      },
    );
  };
}
