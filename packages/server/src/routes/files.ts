import {
  CommitFileBody,
  EmptyTrashResponse,
  FileIdParams,
  FileRecord,
  LIVE_LENGTH_HEADER,
  ThumbnailParams,
  UpdateFileBody,
} from "@umbra/protocol";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendFileBlob } from "../blob-response/send-blob.js";
import { liveDataPath, sendLiveContent } from "../blob-response/send-live.js";
import type { AppContext } from "../context.js";
import { albumAudience, fileAudience } from "../events/audience.js";
import { notifyChange } from "../events/notify.js";
import { HttpError } from "../http-error.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { ownFile, readableFile } from "../store/access.js";
import { deleteFiles } from "../store/file-deletion.js";
import { commitFile, ownFileRecord, trashedFileIds, updateFile } from "../store/files.js";
import { ownUpload } from "../store/uploads.js";
import { nowIso } from "../tokens.js";
import { finishedUpload, forgetCommittedUpload } from "../tus/finished-upload.js";

export function fileRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  /** Tells the user's other sessions and the members of the file's albums; answers the record. */
  const changedFile = async <T>(request: FastifyRequest, record: T): Promise<T> => {
    notifyChange(
      ctx,
      request,
      "library",
      await fileAudience(ctx.db, [(request.params as { id: string }).id]),
    );
    return record;
  };
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.post(
      "/api/files",
      { schema: { body: CommitFileBody, response: { 201: FileRecord } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const { uploadId } = request.body;
        await ownUpload(ctx.db, userId, uploadId);
        const upload = await finishedUpload(ctx.tus, uploadId);
        const record = await commitFile(
          ctx.db,
          ctx.blobs,
          userId,
          ctx.config.quotaBytes,
          upload,
          request.body,
        );
        await forgetCommittedUpload(ctx.uploadsDir, uploadId);
        notifyChange(ctx, request, "library", await albumAudience(ctx.db, [request.body.albumId]));
        return reply.code(201).send(record);
      },
    );

    app.get(
      "/api/files/:id",
      { schema: { params: FileIdParams, response: { 200: FileRecord } } },
      async (request) => ownFileRecord(ctx.db, sessionOf(request).userId, request.params.id),
    );

    app.get("/api/files/:id/content", { schema: { params: FileIdParams } }, async (request, reply) => {
      const userId = sessionOf(request).userId;
      const row = await readableFile(ctx.db, userId, request.params.id);
      if (row.live_appended_at != null) {
        try {
          const dataPath = liveDataPath(ctx.config.dataDir, row.id);
          return await sendLiveContent(request, reply, dataPath, Number(row.content_size));
        } catch (error) {
          // Finished between reading the row and opening its bytes: serve the blob it became.
          if ((error as NodeJS.ErrnoException).code !== "ENOENT" || Number(row.content_size) === 0)
            throw error;
          const finished = await readableFile(ctx.db, userId, request.params.id);
          if (finished.live_appended_at != null) throw error;
          reply.removeHeader(LIVE_LENGTH_HEADER).removeHeader("cache-control");
          return sendFileBlob(ctx.blobs, request, reply, finished, "content");
        }
      }
      return sendFileBlob(ctx.blobs, request, reply, row, "content");
    });

    app.get(
      "/api/files/:id/thumbnails/:variant",
      { schema: { params: ThumbnailParams } },
      async (request, reply) => {
        const row = await readableFile(ctx.db, sessionOf(request).userId, request.params.id);
        return sendFileBlob(ctx.blobs, request, reply, row, request.params.variant);
      },
    );

    app.patch(
      "/api/files/:id",
      { schema: { params: FileIdParams, body: UpdateFileBody, response: { 200: FileRecord } } },
      async (request) =>
        changedFile(
          request,
          await updateFile(ctx.db, sessionOf(request).userId, request.params.id, () => ({
            encrypted_metadata: request.body.encryptedMetadata,
          })),
        ),
    );

    app.post(
      "/api/files/:id/trash",
      { schema: { params: FileIdParams, response: { 200: FileRecord } } },
      async (request) =>
        changedFile(
          request,
          await updateFile(ctx.db, sessionOf(request).userId, request.params.id, (row) => ({
            trashed_at: row.trashed_at ?? nowIso(),
          })),
        ),
    );

    app.post(
      "/api/files/:id/restore",
      { schema: { params: FileIdParams, response: { 200: FileRecord } } },
      async (request) =>
        changedFile(
          request,
          await updateFile(ctx.db, sessionOf(request).userId, request.params.id, () => ({
            trashed_at: null,
          })),
        ),
    );

    app.delete(
      "/api/files/:id",
      { schema: { params: FileIdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const row = await ownFile(ctx.db, userId, request.params.id);
        if (!row.trashed_at) throw new HttpError("NOT_IN_TRASH", "only a trashed file can be deleted");
        const audience = await fileAudience(ctx.db, [row.id]);
        await deleteFiles(ctx.db, ctx.blobs, userId, [row.id]);
        notifyChange(ctx, request, "library", audience);
        return reply.code(204).send(null);
      },
    );

    app.post("/api/trash/empty", { schema: { response: { 200: EmptyTrashResponse } } }, async (request) => {
      const userId = sessionOf(request).userId;
      const ids = await trashedFileIds(ctx.db, userId);
      const audience = await fileAudience(ctx.db, ids);
      const deleted = await deleteFiles(ctx.db, ctx.blobs, userId, ids);
      if (deleted > 0) notifyChange(ctx, request, "library", audience);
      return { deleted };
    });
  };
}
