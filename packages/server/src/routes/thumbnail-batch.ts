import { THUMBNAIL_BATCH_ABSENT, ThumbnailBatchBody } from "@umbra/protocol";
import type { FastifyBaseLogger } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.js";
import { HttpError } from "../http-error.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { blobIds } from "../storage/blob-ids.js";
import type { BlobStore } from "../storage/blob-store.js";
import { readableFile } from "../store/access.js";

type FileRow = Awaited<ReturnType<typeof readableFile>>;

/**
 * `POST /api/thumbnails`: several thumbnails' ciphertexts in one answer, each as a 4-byte big-endian length and
 * its bytes, in the order asked (THUMBNAIL_BATCH_ABSENT for one the caller may not read). A grid scrolling
 * through a large library asks for a row at a time instead of one request per tile.
 */
export function thumbnailBatchRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));
    app.post("/api/thumbnails", { schema: { body: ThumbnailBatchBody } }, async (request, reply) => {
      const { userId } = sessionOf(request);
      const { ids, variant } = request.body;
      const rows = await ctx.db.selectFrom("files").selectAll().where("id", "in", ids).execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      const parts: Buffer[] = [];
      for (const id of ids) {
        const row = await readable(byId.get(id), userId, id);
        const bytes = row ? await thumbnailBytes(ctx.blobs, row, variant, request.log) : undefined;
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes ? bytes.length : THUMBNAIL_BATCH_ABSENT);
        parts.push(length);
        if (bytes) parts.push(bytes);
      }
      return reply
        .header("content-type", "application/octet-stream")
        .header("cache-control", "private, no-store")
        .send(Buffer.concat(parts));
    });
  };

  /** The row when the caller may read the file (their own, or in an album shared with them). */
  async function readable(
    row: FileRow | undefined,
    userId: string,
    id: string,
  ): Promise<FileRow | undefined> {
    if (!row) return undefined;
    if (row.user_id === userId) return row;
    try {
      return await readableFile(ctx.db, userId, id);
    } catch (error) {
      if (error instanceof HttpError && error.code === "NOT_FOUND") return undefined;
      throw error;
    }
  }
}

/** The stored thumbnail, or undefined when it is not there at the length its row records (logged). */
async function thumbnailBytes(
  blobs: BlobStore,
  row: FileRow,
  variant: "grid" | "preview",
  log: FastifyBaseLogger,
): Promise<Buffer | undefined> {
  const size = variant === "grid" ? row.grid_size : row.preview_size;
  if (size === 0) return Buffer.alloc(0);
  const blobId = blobIds(row.blob_key)[variant];
  const chunks: Buffer[] = [];
  let read = 0;
  try {
    for await (const chunk of await blobs.get(blobId)) {
      read += (chunk as Buffer).length;
      // A blob longer than its record is not what was committed: stop reading at once.
      if (read > size) break;
      chunks.push(chunk as Buffer);
    }
  } catch {
    read = -1;
  }
  if (read !== size) {
    log.error(
      {
        code: "BLOB_INCOMPLETE",
        fileId: row.id,
        blobId,
        recordedBytes: size,
        storedBytes: read < 0 ? null : read,
      },
      "stored blob length differs from its record",
    );
    return undefined;
  }
  return Buffer.concat(chunks, size);
}
