import { rm } from "node:fs/promises";
import path from "node:path";
import {
  CommitFileBody,
  EmptyTrashResponse,
  FileIdParams,
  FileRecord,
  ThumbnailParams,
  UpdateFileBody,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { readableFileRow } from "../album-access.js";
import type { AppContext } from "../context.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { deleteBlobs, deleteFiles } from "../file-deletion.js";
import { conflict, HttpError, notFound } from "../http-error.js";
import {
  addUsedBytes,
  allocateSeq,
  blobIds,
  type Db,
  fileRecord,
  pendingBytes,
  usedBytes,
} from "../records.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { nowIso } from "../tokens.js";
import { sendBlob } from "./send-blob.js";

async function ownFileRow(db: Db, userId: string, fileId: string) {
  const row = await db
    .selectFrom("files")
    .selectAll()
    .where("id", "=", fileId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!row) throw notFound("file");
  return row;
}

export const quotaExceeded = () => new HttpError(507, "QUOTA_EXCEEDED", "storage quota exceeded");

export function fileRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.post(
      "/api/files",
      { schema: { body: CommitFileBody, response: { 201: FileRecord } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const body = request.body;
        const upload = await ctx.db
          .selectFrom("uploads")
          .selectAll()
          .where("id", "=", body.uploadId)
          .where("user_id", "=", userId)
          .executeTakeFirst();
        if (!upload) throw notFound("upload");
        const tusUpload = await ctx.tus.datastore.getUpload(body.uploadId).catch(() => null);
        if (!tusUpload) throw notFound("upload");
        if (tusUpload.size === undefined || tusUpload.offset !== tusUpload.size) {
          throw conflict("UPLOAD_INCOMPLETE", "the upload is not finished");
        }
        const albumOwned = await ctx.db
          .selectFrom("albums")
          .select(["id", "key_version"])
          .where("id", "=", body.albumId)
          .where("user_id", "=", userId)
          .executeTakeFirst();
        if (!albumOwned) throw notFound("album");
        const grid = Buffer.from(body.thumbnails.grid, "base64url");
        const preview = Buffer.from(body.thumbnails.preview, "base64url");
        const contentSize = tusUpload.offset;
        const used = await usedBytes(ctx.db, userId);
        const pending = await pendingBytes(ctx.db, userId, body.uploadId);
        if (used + pending + contentSize + grid.length + preview.length > ctx.config.quotaBytes) {
          throw quotaExceeded();
        }
        const duplicate = () => conflict("DUPLICATE_ID", "a file with this id exists");
        const exists = await ctx.db
          .selectFrom("files")
          .select("id")
          .where("id", "=", body.id)
          .unionAll(
            ctx.db.selectFrom("tombstones").select("object_id as id").where("object_id", "=", body.id),
          )
          .executeTakeFirst();
        if (exists) throw duplicate();

        // Blobs first (named after the upload id, unique), rows second: a crash in between leaves only orphan
        // blobs for the sweeper, never a row without its blob.
        const ids = blobIds(body.uploadId);
        const uploadPath = tusUpload.storage?.path;
        if (!uploadPath) throw new Error("upload has no local path");
        // In parallel: each write fsyncs, and waiting for them one by one dominated small-file commits.
        await Promise.all([
          ctx.blobs.put(ids.grid, grid),
          ctx.blobs.put(ids.preview, preview),
          ctx.blobs.putFile(ids.content, uploadPath).catch((error: NodeJS.ErrnoException) => {
            // A concurrent commit of the same upload moved it first.
            if (error.code === "ENOENT") throw notFound("upload");
            throw error;
          }),
        ]);
        const now = nowIso();
        try {
          const row = await ctx.db.transaction().execute(async (trx) => {
            const removed = await trx
              .deleteFrom("uploads")
              .where("id", "=", body.uploadId)
              .where("user_id", "=", userId)
              .executeTakeFirst();
            if (Number(removed.numDeletedRows) !== 1) throw notFound("upload");
            const seq = await allocateSeq(trx, userId);
            await trx
              .insertInto("files")
              .values({
                id: body.id,
                user_id: userId,
                blob_key: body.uploadId,
                encrypted_metadata: body.encryptedMetadata,
                content_size: contentSize,
                grid_size: grid.length,
                preview_size: preview.length,
                created_at: now,
                updated_at: now,
                trashed_at: null,
                seq,
              })
              .execute();
            await addUsedBytes(trx, userId, contentSize + grid.length + preview.length);
            await trx
              .insertInto("album_files")
              .values({
                album_id: body.albumId,
                file_id: body.id,
                user_id: userId,
                wrapped_file_key: body.wrappedFileKey,
                added_seq: seq,
                key_version: Number(albumOwned.key_version),
              })
              .execute();
            return fileRecord(trx, await ownFileRow(trx, userId, body.id));
          });
          await removeTusMetadata(ctx, body.uploadId);
          return reply.code(201).send(row);
        } catch (error) {
          await deleteBlobs(ctx.blobs, [body.uploadId]);
          if (isUniqueViolation(error)) throw duplicate();
          throw error;
        }
      },
    );

    app.get(
      "/api/files/:id",
      { schema: { params: FileIdParams, response: { 200: FileRecord } } },
      async (request) =>
        fileRecord(ctx.db, await ownFileRow(ctx.db, sessionOf(request).userId, request.params.id)),
    );

    app.get("/api/files/:id/content", { schema: { params: FileIdParams } }, async (request, reply) => {
      const row = await readableFileRow(ctx.db, sessionOf(request).userId, request.params.id);
      return sendBlob(ctx.blobs, request, reply, {
        fileId: row.id,
        blobId: blobIds(row.blob_key).content,
        size: Number(row.content_size),
      });
    });

    app.get(
      "/api/files/:id/thumbnails/:variant",
      { schema: { params: ThumbnailParams } },
      async (request, reply) => {
        const row = await readableFileRow(ctx.db, sessionOf(request).userId, request.params.id);
        const variant = request.params.variant;
        const size = Number(variant === "grid" ? row.grid_size : row.preview_size);
        return sendBlob(ctx.blobs, request, reply, {
          fileId: row.id,
          blobId: blobIds(row.blob_key)[variant],
          size,
        });
      },
    );

    const update = async (
      userId: string,
      fileId: string,
      change: (row: Awaited<ReturnType<typeof ownFileRow>>) => {
        encrypted_metadata?: string;
        trashed_at?: string | null;
      },
    ) =>
      ctx.db.transaction().execute(async (trx) => {
        const row = await ownFileRow(trx, userId, fileId);
        const seq = await allocateSeq(trx, userId);
        await trx
          .updateTable("files")
          .set({ ...change(row), seq, updated_at: nowIso() })
          .where("id", "=", fileId)
          .execute();
        return fileRecord(trx, await ownFileRow(trx, userId, fileId));
      });

    app.patch(
      "/api/files/:id",
      { schema: { params: FileIdParams, body: UpdateFileBody, response: { 200: FileRecord } } },
      async (request) =>
        update(sessionOf(request).userId, request.params.id, () => ({
          encrypted_metadata: request.body.encryptedMetadata,
        })),
    );

    app.post(
      "/api/files/:id/trash",
      { schema: { params: FileIdParams, response: { 200: FileRecord } } },
      async (request) =>
        update(sessionOf(request).userId, request.params.id, (row) => ({
          trashed_at: row.trashed_at ?? nowIso(),
        })),
    );

    app.post(
      "/api/files/:id/restore",
      { schema: { params: FileIdParams, response: { 200: FileRecord } } },
      async (request) => update(sessionOf(request).userId, request.params.id, () => ({ trashed_at: null })),
    );

    app.delete(
      "/api/files/:id",
      { schema: { params: FileIdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const row = await ownFileRow(ctx.db, userId, request.params.id);
        if (!row.trashed_at) throw conflict("NOT_IN_TRASH", "only a trashed file can be deleted");
        await deleteFiles(ctx.db, ctx.blobs, userId, [row.id]);
        return reply.code(204).send(null);
      },
    );

    app.post("/api/trash/empty", { schema: { response: { 200: EmptyTrashResponse } } }, async (request) => {
      const userId = sessionOf(request).userId;
      const rows = await ctx.db
        .selectFrom("files")
        .select("id")
        .where("user_id", "=", userId)
        .where("trashed_at", "is not", null)
        .execute();
      return {
        deleted: await deleteFiles(
          ctx.db,
          ctx.blobs,
          userId,
          rows.map((r) => r.id),
        ),
      };
    });
  };
}

/** The tus FileStore keeps "<id>.json" beside the upload; once committed, the upload no longer exists. */
async function removeTusMetadata(ctx: AppContext, uploadId: string): Promise<void> {
  await rm(path.join(ctx.uploadsDir, `${uploadId}.json`), { force: true });
}
