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
import { type PatchWriterDeps, writeTusPatch } from "../storage/tus-patch-writer.js";
import { nowIso } from "../tokens.js";

/** Who sent each request handed to tus: set after authentication, read by onUploadCreate. */
const requestOwners = new WeakMap<IncomingMessage, string>();

const quotaBody = JSON.stringify(errorBody("QUOTA_EXCEEDED", "storage quota exceeded"));

/** The direct PATCH path of each tus server (see storage/tus-patch-writer.ts), sharing its store and locker. */
const patchWriters = new WeakMap<TusServer, PatchWriterDeps>();

export function createTusServer(
  db: Kysely<Database>,
  uploadsDir: string,
  options: { quotaBytes: number; maxUploadBytes: number; expiryMs: number },
): TusServer {
  const store = new FileStore({ directory: uploadsDir, expirationPeriodInMilliseconds: options.expiryMs });
  const locker = new MemoryLocker();
  const server = new TusServer({
    path: "/api/uploads",
    relativeLocation: true,
    maxSize: options.maxUploadBytes,
    respectForwardedHeaders: false,
    datastore: store,
    locker,
    namingFunction: () => randomBytes(16).toString("hex"),
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
      // Check and reserve in one transaction, so two concurrent creations cannot both fit in the same space.
      await db.transaction().execute(async (trx) => {
        const used = await usedBytes(trx, userId);
        const pending = await pendingBytes(trx, userId);
        if (used + pending + size > options.quotaBytes) throw { status_code: 507, body: quotaBody };
        await trx
          .insertInto("uploads")
          .values({ id: upload.id, user_id: userId, size, created_at: nowIso() })
          .execute();
      });
      // Upload-Metadata could carry a file name or type: never store it (zero knowledge).
      return { metadata: {} };
    },
  });
  patchWriters.set(server, {
    store,
    locker,
    expiryMs: options.expiryMs,
    filePath: (id) => path.join(uploadsDir, id),
  });
  return server;
}

export function registerUploadRoutes(app: FastifyInstance, ctx: AppContext): void {
  // tus reads the raw request stream itself.
  app.addContentTypeParser("application/offset+octet-stream", (_request, _payload, done) => done(null));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== "OPTIONS") {
      const { userId } = await authenticate(ctx, request);
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
    const direct = patchWriters.get(ctx.tus);
    if (request.method === "PATCH" && uploadId !== undefined && direct) {
      if (await writeTusPatch(direct, uploadId, request.raw, reply.raw)) return;
    }
    await ctx.tus.handle(request.raw, reply.raw);
    if (request.method === "DELETE" && reply.raw.statusCode === 204) {
      const uploadId = (request.params as { id: string }).id;
      await ctx.db.deleteFrom("uploads").where("id", "=", uploadId).execute();
    }
  };

  app.route({ method: ["POST", "OPTIONS"], url: "/api/uploads", handler, schema: { hide: true } });
  app.route({
    method: ["HEAD", "PATCH", "DELETE", "OPTIONS"],
    url: "/api/uploads/:id",
    handler,
    schema: { hide: true },
  });
}
