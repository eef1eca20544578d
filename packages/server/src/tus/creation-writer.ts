import type { IncomingMessage, ServerResponse } from "node:http";
import { Upload } from "@tus/server";
import { plainTusRequestNumber, receiveBody, tusReply } from "./body.js";
import type { PatchWriterDeps } from "./patch-writer.js";
import type { TusRefusal } from "./refusal.js";

/**
 * tus creation-with-upload (a POST that carries the first bytes: how clients send small files in one request)
 * written straight into the new upload's file, as PATCH is (see body.ts). Deferred lengths, metadata and
 * concatenation return false and are left to @tus/server.
 */
export interface CreationWriterDeps extends PatchWriterDeps {
  /** Largest Upload-Length accepted (0: no limit); a larger one is left to @tus/server's 413. */
  maxSize: number;
  newId: () => string;
  /**
   * Checks the quota and records the upload as the caller's, as the tus server's onUploadCreate does; throws a
   * TusRefusal to refuse.
   */
  reserve: (uploadId: string, size: number) => Promise<void>;
  /** The new upload's URL (the Location header). */
  location: (uploadId: string) => string;
}

export async function writeTusCreation(
  deps: CreationWriterDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const size = plainTusRequestNumber(req, "upload-length");
  if (size === undefined) return false;
  if (deps.maxSize > 0 && size > deps.maxSize) return false;
  const contentLength = req.headers["content-length"];
  if (contentLength !== undefined && Number(contentLength) > size)
    return tusReply(res, 413, "Maximum size exceeded\n");
  const id = deps.newId();
  try {
    await deps.reserve(id, size);
  } catch (error) {
    const refusal = error as Partial<TusRefusal>;
    if (refusal.status_code === undefined) throw error;
    return tusReply(res, refusal.status_code, refusal.body ?? "", { "content-type": "application/json" });
  }
  const controller = new AbortController();
  const lock = deps.locker.newLock(id);
  await lock.lock(controller.signal, async () => controller.abort());
  try {
    const upload = new Upload({ id, size, offset: 0, metadata: {} });
    await deps.store.create(upload);
    const body = await receiveBody(req, deps.filePath(id), 0, size, controller.signal);
    if (body.exceeded) return tusReply(res, 413, "Maximum size exceeded\n");
    if (body.failed) {
      return tusReply(res, 500, "Something went wrong receiving the file\n", { connection: "close" });
    }
    // A disconnect keeps the upload with what arrived: a client that saw the Location resumes from there.
    const headers: Record<string, string> = {
      location: deps.location(id),
      "upload-offset": String(body.written),
    };
    if (body.written < size && deps.expiryMs > 0) {
      headers["upload-expires"] = new Date(
        new Date(upload.creation_date!).getTime() + deps.expiryMs,
      ).toUTCString();
    }
    if (req.destroyed) headers.connection = "close";
    return tusReply(res, 201, "", headers);
  } finally {
    await lock.unlock();
  }
}
