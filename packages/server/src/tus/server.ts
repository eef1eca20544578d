import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { FileStore } from "@tus/file-store";
import { MemoryLocker, Server as TusServer } from "@tus/server";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { reserveUpload } from "../store/uploads.js";
import type { PatchWriterDeps } from "./patch-writer.js";
import { refusingAsTus, tusRefusal } from "./refusal.js";

export const UPLOADS_PATH = "/api/uploads";
export const newUploadId = () => randomBytes(16).toString("hex");

/**
 * The tus extensions this server honours, advertised in OPTIONS' Tus-Extension. The file store also offers
 * creation-defer-length, which we refuse (the quota is checked from Upload-Length at creation), so a client
 * must not be told it may use it.
 */
export const TUS_EXTENSIONS = ["creation", "creation-with-upload", "termination", "expiration"] as const;

/** Who sent each request handed to tus: set after authentication, read by onUploadCreate. */
const requestOwners = new WeakMap<IncomingMessage, string>();

export function setRequestOwner(req: IncomingMessage, userId: string): void {
  requestOwners.set(req, userId);
}

/** The direct PATCH and creation paths of each tus server (patch-writer.ts, creation-writer.ts), sharing its store and locker. */
const directWriters = new WeakMap<TusServer, PatchWriterDeps & { maxSize: number }>();

export function directWritersOf(server: TusServer) {
  return directWriters.get(server);
}

export interface TusOptions {
  quotaBytes: number;
  maxUploadBytes: number;
  expiryMs: number;
}

export function createTusServer(db: Kysely<Database>, uploadsDir: string, options: TusOptions): TusServer {
  const store = new FileStore({ directory: uploadsDir, expirationPeriodInMilliseconds: options.expiryMs });
  store.extensions = [...TUS_EXTENSIONS];
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
      if (!userId) throw tusRefusal("UNAUTHORIZED", "no session");
      const size = upload.size;
      if (size === undefined) throw tusRefusal("LENGTH_REQUIRED", "Upload-Length is required");
      await refusingAsTus(() => reserveUpload(db, userId, upload.id, size, options.quotaBytes));
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
