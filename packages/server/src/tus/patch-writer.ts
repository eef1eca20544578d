import type { IncomingMessage, ServerResponse } from "node:http";
import type { FileStore } from "@tus/file-store";
import type { Locker } from "@tus/server";
import { plainTusRequestNumber, receiveBody, tusReply } from "./body.js";

/**
 * tus PATCH for the file store, written straight from the Node request to the upload file (see body.ts):
 * what @tus/server's PatchHandler does for the requests our clients send, with the same locker, store and
 * answers. Anything unusual (deferred length, checksums, concatenation) returns false and is left to
 * @tus/server.
 */
export interface PatchWriterDeps {
  store: FileStore;
  /** The upload's data file (the store's own layout: directory/<id>). */
  filePath: (uploadId: string) => string;
  locker: Locker;
  /** Uploads older than this are gone (410), as the store's expiration extension says. */
  expiryMs: number;
}

export async function writeTusPatch(
  deps: PatchWriterDeps,
  uploadId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const offset = plainTusRequestNumber(req, "upload-offset");
  if (offset === undefined) return false;
  const controller = new AbortController();
  const lock = deps.locker.newLock(uploadId);
  // A newer PATCH for the same upload (a client that reconnected) asks us to stop: keep what arrived.
  let released = false;
  try {
    await lock.lock(controller.signal, async () => {
      released = true;
      controller.abort();
    });
  } catch (error) {
    const tusError = error as { status_code?: number; body?: string };
    return tusReply(
      res,
      tusError.status_code ?? 500,
      tusError.body ?? "Something went wrong with that request\n",
    );
  }
  try {
    const upload = await deps.store.getUpload(uploadId).catch(() => null);
    if (!upload || upload.size === undefined)
      return tusReply(res, 404, "The file for this url was not found\n");
    const created = upload.creation_date ? new Date(upload.creation_date).getTime() : Date.now();
    if (deps.expiryMs > 0 && Date.now() > created + deps.expiryMs) {
      return tusReply(res, 410, "The file for this url no longer exists\n");
    }
    if (upload.offset !== offset) return tusReply(res, 409, "Upload-Offset conflict\n");
    const remaining = upload.size - offset;
    const length = req.headers["content-length"];
    if (length !== undefined && Number(length) > remaining)
      return tusReply(res, 413, "upload's size exceeded\n");
    const body = await receiveBody(req, deps.filePath(uploadId), offset, remaining, controller.signal);
    // Too many bytes is the client's error; a disconnect or a release keeps the bytes written so far (the
    // client resumes from the new offset); anything else (disk full…) is a server error.
    if (body.exceeded) return tusReply(res, 413, "Maximum size exceeded\n");
    if (body.failed) {
      return tusReply(res, 500, "Something went wrong receiving the file\n", { connection: "close" });
    }
    const newOffset = offset + body.written;
    const headers: Record<string, string> = { "upload-offset": String(newOffset) };
    if (newOffset < upload.size && deps.expiryMs > 0) {
      headers["upload-expires"] = new Date(created + deps.expiryMs).toUTCString();
    }
    if (released || req.destroyed) headers.connection = "close";
    return tusReply(res, 204, "", headers);
  } finally {
    await lock.unlock();
  }
}
