import { PublicLinkFileParams, PutRenditionBody, RenditionParams, RenditionResponse } from "@umbra/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { parseRange } from "../blob-response/byte-range.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../http-error.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { renditionBlobId } from "../storage/blob-ids.js";
import type { BlobStore } from "../storage/blob-store.js";
import { readableFile } from "../store/access.js";
import { linkedFile, liveLink } from "../store/links.js";
import { deleteRendition, putRendition, renditionOf } from "../store/renditions.js";
import { ownUpload } from "../store/uploads.js";
import { finishedUpload, forgetCommittedUpload } from "../tus/finished-upload.js";

/** A video's playable rendition (SPEC §6.10): stored, replaced and removed by the uploader, read like content. */
export function renditionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const onRequest = requireSession(ctx);

    app.put(
      "/api/files/:id/rendition",
      {
        onRequest,
        schema: { params: RenditionParams, body: PutRenditionBody, response: { 200: RenditionResponse } },
      },
      async (request) => {
        const userId = sessionOf(request).userId;
        const { uploadId } = request.body;
        await ownUpload(ctx.db, userId, uploadId);
        const upload = await finishedUpload(ctx.tus, uploadId);
        const size = await putRendition(
          ctx.db,
          ctx.blobs,
          userId,
          ctx.config.quotaBytes,
          request.params.id,
          upload,
        );
        await forgetCommittedUpload(ctx.uploadsDir, uploadId);
        return { size };
      },
    );

    app.get(
      "/api/files/:id/rendition",
      { onRequest, schema: { params: RenditionParams } },
      async (request, reply) => {
        const row = await readableFile(ctx.db, sessionOf(request).userId, request.params.id);
        return sendRendition(ctx.blobs, request, reply, row);
      },
    );

    app.delete(
      "/api/files/:id/rendition",
      { onRequest, schema: { params: RenditionParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await deleteRendition(ctx.db, ctx.blobs, sessionOf(request).userId, request.params.id);
        return reply.code(204).send(null);
      },
    );

    // A rendition is a viewing copy: every live link that reaches the file serves it (as its thumbnails).
    app.get(
      "/api/public/links/:id/files/:fileId/rendition",
      { schema: { params: PublicLinkFileParams } },
      async (request, reply) => {
        const link = await liveLink(ctx.db, request.params.id);
        const row = await linkedFile(ctx.db, link, request.params.fileId);
        return sendRendition(ctx.blobs, request, reply, row);
      },
    );
  };
}

/**
 * Streams the rendition with single-range support. It can be replaced under the same blob id, so the validator
 * is the blob's id, length and time, and caches must revalidate (never `immutable` as for content).
 */
async function sendRendition(
  blobs: BlobStore,
  request: FastifyRequest,
  reply: FastifyReply,
  file: { blob_key: string },
) {
  const info = await renditionOf(blobs, file);
  const { size } = info;
  const etag = `"${info.id}-${size}-${info.modifiedAt.getTime()}"`;
  reply
    .header("etag", etag)
    .header("accept-ranges", "bytes")
    .header("cache-control", "private, no-cache")
    .header("content-type", "application/octet-stream");
  if (request.headers["if-none-match"] === etag) return reply.code(304).send();
  const ifRange = request.headers["if-range"];
  const range =
    ifRange && ifRange !== etag ? ({ kind: "full" } as const) : parseRange(request.headers.range, size);
  if (range.kind === "unsatisfiable") {
    throw new HttpError("RANGE_NOT_SATISFIABLE", `range not satisfiable (size ${size})`, {
      "content-range": `bytes */${size}`,
    });
  }
  const blobId = renditionBlobId(file.blob_key);
  if (range.kind === "partial") {
    const { start, end } = range.range;
    reply
      .code(206)
      .header("content-range", `bytes ${start}-${end}/${size}`)
      .header("content-length", String(end - start + 1));
    return reply.send(await blobs.get(blobId, range.range));
  }
  reply.header("content-length", String(size));
  return reply.send(await blobs.get(blobId));
}
