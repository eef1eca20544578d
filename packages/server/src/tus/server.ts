import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { FileStore } from "@tus/file-store";
import { MemoryLocker, Server as TusServer } from "@tus/server";
import { UPLOAD_ID_PATTERN } from "@umbra/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { AppContext } from "../context.js";
import type { Database } from "../db/schema.js";
import { errorBody, HttpError, notFound } from "../http-error.js";
import { pendingBytes, usedBytes } from "../records.js";
import { securityHeaders } from "../security-headers.js";
import { authenticate } from "../session-auth.js";
import { writeTusCreation } from "../storage/tus-creation-writer.js";
import { type PatchWriterDeps, writeTusPatch } from "../storage/tus-patch-writer.js";
import { nowIso } from "../tokens.js";

/** Who sent each request handed to tus: set after authentication, read by onUploadCreate. */
const requestOwners = new WeakMap<IncomingMessage, string>();

const quotaBody = JSON.stringify(errorBody("QUOTA_EXCEEDED", "storage quota exceeded"));

/** The direct PATCH and creation paths of each tus server (storage/tus-*-writer.ts), sharing its store and locker. */
const directWriters = new WeakMap<TusServer, PatchWriterDeps & { maxSize: number }>();

const UPLOADS_PATH = "/api/uploads";
const newUploadId = () => randomBytes(16).toString("hex");

/**
 * Checks the quota and records a new upload as the user's, in one transaction, so two concurrent creations
 * cannot both fit in the same space. Refuses with tus's `{ status_code, body }`.
 */
async function reserveUpload(
  db: Kysely<Database>,
  userId: string,
  uploadId: string,
  size: number,
  quotaBytes: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const used = await usedBytes(trx, userId);
    const pending = await pendingBytes(trx, userId);
    if (used + pending + size > quotaBytes) throw { status_code: 507, body: quotaBody };
    await trx
      .insertInto("uploads")
      .values({ id: uploadId, user_id: userId, size, created_at: nowIso() })
      .execute();
  });
}

export function createTusServer(
  db: Kysely<Database>,
  uploadsDir: string,
  options: { quotaBytes: number; maxUploadBytes: number; expiryMs: number },
): TusServer {
  const store = new FileStore({ directory: uploadsDir, expirationPeriodInMilliseconds: options.expiryMs });
  const locker = new MemoryLocker();
  const server = new TusServer({
    path: UPLOADS_PATH,
    relativeLocation: true,
    maxSize: options.maxUploadBytes,
    respectForwardedHeaders: false,
    datastore: store,
    locker,
    namingFunction: newUploadId,
    async onUploadCreate(req, upload) {
      const nodeReq = (req as unknown as { runtime?: { node?: { req: IncomingMessage } } }).runtime?.node
        ?.req;
      const userId = nodeReq && requestOwners.get(nodeReq);
      if (!userId) throw { status_code: 401, body: JSON.stringify(errorBody("UNAUTHORIZED", "no session")) };
      const size = upload.size;
      if (size === undefined) {
        throw {
          status_code: 400,
          body: JSON.stringify(errorBody("LENGTH_REQUIRED", "Upload-Length is required")),
        };
      }
      await reserveUpload(db, userId, upload.id, size, options.quotaBytes);
      // Upload-Metadata could carry a file name or type: never store it (zero knowledge).
      return { metadata: {} };
    },
  });
  directWriters.set(server, {
    store,
    locker,
    expiryMs: options.expiryMs,
    filePath: (id) => path.join(uploadsDir, id),
    maxSize: options.maxUploadBytes,
  });
  return server;
}

export function registerUploadRoutes(app: FastifyInstance, ctx: AppContext): void {
  // tus reads the raw request stream itself.
  app.addContentTypeParser("application/offset+octet-stream", (_request, _payload, done) => done(null));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let owner: string | undefined;
    if (request.method !== "OPTIONS") {
      const { userId } = await authenticate(ctx, request);
      owner = userId;
      const uploadId = (request.params as { id?: string }).id;
      if (uploadId !== undefined) {
        if (!UPLOAD_ID_PATTERN.test(uploadId)) throw notFound("upload");
        const owned = await ctx.db
          .selectFrom("uploads")
          .select("id")
          .where("id", "=", uploadId)
          .where("user_id", "=", userId)
          .executeTakeFirst();
        if (!owned) throw notFound("upload");
      } else if (request.method === "POST") {
        const length = request.headers["upload-length"];
        if (typeof length !== "string" || !/^\d{1,16}$/.test(length)) {
          throw new HttpError(400, "LENGTH_REQUIRED", "Upload-Length is required");
        }
        const used = await usedBytes(ctx.db, userId);
        const pending = await pendingBytes(ctx.db, userId);
        if (used + pending + Number(length) > ctx.config.quotaBytes) {
          throw new HttpError(507, "QUOTA_EXCEEDED", "storage quota exceeded");
        }
      }
      requestOwners.set(request.raw, userId);
    }
    for (const [name, value] of Object.entries(securityHeaders)) reply.raw.setHeader(name, value);
    reply.raw.setHeader("cache-control", "no-store");
    reply.hijack();
    const uploadId = (request.params as { id?: string }).id;
    const direct = directWriters.get(ctx.tus);
    if (request.method === "PATCH" && uploadId !== undefined && direct) {
      if (await writeTusPatch(direct, uploadId, request.raw, reply.raw)) return;
    }
    if (request.method === "POST" && uploadId === undefined && direct && owner) {
      const userId = owner;
      const creation = {
        ...direct,
        newId: newUploadId,
        reserve: (id: string, size: number) => reserveUpload(ctx.db, userId, id, size, ctx.config.quotaBytes),
        location: (id: string) => `${UPLOADS_PATH}/${id}`,
      };
      if (await writeTusCreation(creation, request.raw, reply.raw)) return;
    }
    await ctx.tus.handle(request.raw, reply.raw);
    if (request.method === "DELETE" && reply.raw.statusCode === 204) {
      const uploadId = (request.params as { id: string }).id;
      await ctx.db.deleteFrom("uploads").where("id", "=", uploadId).execute();
    }
  };

  app.route({ method: ["POST", "OPTIONS"], url: UPLOADS_PATH, handler, schema: { hide: true } });
  app.route({
    method: ["HEAD", "PATCH", "DELETE", "OPTIONS"],
    url: `${UPLOADS_PATH}/:id`,
    handler,
    schema: { hide: true },
  });
}
