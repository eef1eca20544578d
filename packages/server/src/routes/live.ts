import fs from "node:fs/promises";
import type { Readable } from "node:stream";
import {
  FileIdParams,
  FileRecord,
  FinishLiveBody,
  LIVE_OFFSET_HEADER,
  LiveAppendHeaders,
  LiveAppendResponse,
  LiveFilesResponse,
  MAX_LIVE_APPEND_BYTES,
  StartLiveBody,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { liveDataDir, liveDataPath } from "../blob-response/send-live.js";
import type { AppContext } from "../context.js";
import { albumAudience, fileAudience } from "../events/audience.js";
import { notifyChange } from "../events/notify.js";
import { HttpError } from "../http-error.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { blobIds } from "../storage/blob-ids.js";
import { deleteBlobs } from "../store/file-deletion.js";
import {
  commitAppend,
  finishLiveRecord,
  liveFiles,
  newBlobKey,
  offsetMismatch,
  ownLiveFile,
  startLive,
} from "../store/live.js";
import { assertWithinQuota } from "../store/usage.js";

/**
 * One append or finish per live file at a time in this process: the bytes land at the recorded length, so two
 * requests writing the same region at once must not interleave (the database's compare-and-set decides).
 */
const fileLocks = new Map<string, Promise<unknown>>();
async function withFileLock<T>(fileId: string, work: () => Promise<T>): Promise<T> {
  const previous = fileLocks.get(fileId) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(work);
  fileLocks.set(fileId, run);
  try {
    return await run;
  } finally {
    if (fileLocks.get(fileId) === run) fileLocks.delete(fileId);
  }
}

/**
 * Checks made before the body is read: a refusal closes the connection, since the unread body would otherwise
 * be taken for the next request's start by a client that reuses it.
 */
async function refusedUnread(check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (error instanceof HttpError) error.headers.connection = "close";
    throw error;
  }
}

const cutShort = () => new HttpError("BAD_REQUEST", "the append body was cut short; the length is unchanged");

/** Writes the request body at `offset` and fsyncs it; a body cut short (or longer than announced) throws. */
async function writeBodyAt(file: string, offset: number, body: Readable, announced: number | undefined) {
  const handle = await fs.open(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o600);
  let written = 0;
  try {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (written + chunk.length > MAX_LIVE_APPEND_BYTES) {
          throw new HttpError(
            "PAYLOAD_TOO_LARGE",
            `an append carries at most ${MAX_LIVE_APPEND_BYTES} bytes`,
          );
        }
        await handle.write(chunk, 0, chunk.length, offset + written);
        written += chunk.length;
      }
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // The client went away mid-body: an expected event for appends (a lost network), not a server fault.
      throw cutShort();
    }
    if (announced !== undefined && written !== announced) throw cutShort();
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return written;
}

/** Live uploads (docs/PROTOCOL.md, "Live uploads"): start, append, finish, and the list of one's own. */
export function liveRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));
    // Appends are read from the raw request stream (written as they arrive, fsynced, then counted).
    app.addContentTypeParser("application/octet-stream", (_request, _payload, done) => done(null));
    await fs.mkdir(liveDataDir(ctx.config.dataDir), { recursive: true });

    app.post(
      "/api/live",
      { schema: { body: StartLiveBody, response: { 201: FileRecord } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const record = await startLive(ctx.db, ctx.blobs, userId, ctx.config.quotaBytes, request.body);
        notifyChange(ctx, request, "library", await albumAudience(ctx.db, [request.body.albumId]));
        return reply.code(201).send(record);
      },
    );

    app.get("/api/live", { schema: { response: { 200: LiveFilesResponse } } }, async (request) => ({
      files: await liveFiles(ctx.db, sessionOf(request).userId),
    }));

    app.post(
      "/api/live/:id/append",
      {
        schema: { params: FileIdParams, headers: LiveAppendHeaders, response: { 200: LiveAppendResponse } },
      },
      async (request) => {
        const userId = sessionOf(request).userId;
        const fileId = request.params.id;
        const offset = Number(request.headers[LIVE_OFFSET_HEADER]);
        const announced = request.headers["content-length"];
        return withFileLock(fileId, async () => {
          const length = announced === undefined ? undefined : Number(announced);
          await refusedUnread(async () => {
            const row = await ownLiveFile(ctx.db, userId, fileId);
            if (Number(row.content_size) !== offset) throw offsetMismatch(Number(row.content_size));
            if (length === undefined) return;
            if (length > MAX_LIVE_APPEND_BYTES) {
              throw new HttpError(
                "PAYLOAD_TOO_LARGE",
                `an append carries at most ${MAX_LIVE_APPEND_BYTES} bytes`,
              );
            }
            // Refused before a byte is written when the announced length does not fit.
            await assertWithinQuota(ctx.db, userId, length, ctx.config.quotaBytes);
          });
          const file = liveDataPath(ctx.config.dataDir, fileId);
          const written = await writeBodyAt(file, offset, request.raw, length);
          return {
            length: await commitAppend(ctx.db, userId, fileId, offset, written, ctx.config.quotaBytes),
          };
        });
      },
    );

    app.post(
      "/api/live/:id/finish",
      { schema: { params: FileIdParams, body: FinishLiveBody, response: { 200: FileRecord } } },
      async (request) => {
        const userId = sessionOf(request).userId;
        const fileId = request.params.id;
        const body = request.body;
        return withFileLock(fileId, async () => {
          const row = await ownLiveFile(ctx.db, userId, fileId);
          if (Number(row.content_size) !== body.contentSize) throw offsetMismatch(Number(row.content_size));
          const grid = Buffer.from(body.thumbnails.grid, "base64url");
          const preview = Buffer.from(body.thumbnails.preview, "base64url");
          const file = liveDataPath(ctx.config.dataDir, fileId);
          // Bytes past the recorded length are a cut append's: they never become content.
          const handle = await fs.open(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
          try {
            await handle.truncate(body.contentSize);
          } finally {
            await handle.close();
          }
          // A second name for the bytes moves into the blob store (fsync + rename there); the live name stays
          // until the row says finished, so a failure below leaves the recording live and whole.
          const blobKey = newBlobKey();
          const ids = blobIds(blobKey);
          const moving = `${file}.finishing`;
          await fs.rm(moving, { force: true });
          await fs.link(file, moving);
          await Promise.all([
            ctx.blobs.putFile(ids.content, moving),
            ctx.blobs.put(ids.grid, grid),
            ctx.blobs.put(ids.preview, preview),
          ]);
          let record: FileRecord;
          try {
            record = await finishLiveRecord(
              ctx.db,
              userId,
              fileId,
              blobKey,
              body,
              {
                grid: grid.length,
                preview: preview.length,
              },
              ctx.config.quotaBytes,
            );
          } catch (error) {
            await deleteBlobs(ctx.blobs, [blobKey]);
            throw error;
          }
          await deleteBlobs(ctx.blobs, [row.blob_key]);
          await fs.rm(file, { force: true });
          notifyChange(ctx, request, "library", await fileAudience(ctx.db, [fileId]));
          return record;
        });
      },
    );
  };
}
