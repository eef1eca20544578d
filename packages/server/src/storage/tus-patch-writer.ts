import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FileStore } from "@tus/file-store";
import { EXPOSED_HEADERS, type Locker, TUS_RESUMABLE } from "@tus/server";

/**
 * tus PATCH for the file store, written straight from the Node request to the upload file. @tus/server
 * converts every request body Node → web → Node stream (copying each chunk and passing it through five
 * stream stages), which cost the server as much CPU as writing the bytes; this path does what its
 * PatchHandler does for the requests our clients send, with the same locker, store and answers. Anything
 * unusual (deferred length, checksums, concatenation) returns false and is left to @tus/server.
 */
export interface PatchWriterDeps {
  store: FileStore;
  /** The upload's data file (the store's own layout: directory/<id>). */
  filePath: (uploadId: string) => string;
  locker: Locker;
  /** Uploads older than this are gone (410), as the store's expiration extension says. */
  expiryMs: number;
}

/** Request headers this path understands; any other Upload-* / tus header hands the request to @tus/server. */
const HANDLED_TUS_HEADERS = new Set(["tus-resumable", "upload-offset", "content-type", "content-length"]);
const WRITE_HIGH_WATER_MARK = 1024 * 1024;

export async function writeTusPatch(
  deps: PatchWriterDeps,
  uploadId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  for (const name of Object.keys(req.headers)) {
    if ((name.startsWith("upload-") || name.startsWith("tus-")) && !HANDLED_TUS_HEADERS.has(name))
      return false;
  }
  const offsetHeader = req.headers["upload-offset"];
  if (
    req.headers["tus-resumable"] !== TUS_RESUMABLE ||
    req.headers["content-type"] !== "application/offset+octet-stream" ||
    typeof offsetHeader !== "string" ||
    !/^(0|[1-9]\d{0,15})$/.test(offsetHeader)
  ) {
    // Missing or malformed: @tus/server's answers (412, 400, 403) are the reference.
    return false;
  }
  const offset = Number(offsetHeader);
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
    return reply(
      res,
      tusError.status_code ?? 500,
      tusError.body ?? "Something went wrong with that request\n",
    );
  }
  try {
    const upload = await deps.store.getUpload(uploadId).catch(() => null);
    if (!upload || upload.size === undefined) return reply(res, 404, "The file for this url was not found\n");
    const created = upload.creation_date ? new Date(upload.creation_date).getTime() : Date.now();
    if (deps.expiryMs > 0 && Date.now() > created + deps.expiryMs) {
      return reply(res, 410, "The file for this url no longer exists\n");
    }
    if (upload.offset !== offset) return reply(res, 409, "Upload-Offset conflict\n");
    const remaining = upload.size - offset;
    const length = req.headers["content-length"];
    if (length !== undefined && Number(length) > remaining)
      return reply(res, 413, "upload's size exceeded\n");
    const limiter = new ByteLimiter(remaining);
    const output = createWriteStream(deps.filePath(uploadId), {
      flags: "r+",
      start: offset,
      highWaterMark: WRITE_HIGH_WATER_MARK,
    });
    let failure: unknown;
    try {
      await pipeline(req, limiter, output, { signal: controller.signal });
    } catch (error) {
      failure = error;
    }
    // The offset is what reached the file: wait until the write stream has flushed or given up.
    if (!output.closed) await once(output, "close").catch(() => undefined);
    // Too many bytes is the client's error; a disconnect or a release keeps the bytes written so far (the
    // client resumes from the new offset); anything else (disk full…) is a server error.
    if (limiter.exceeded) return reply(res, 413, "Maximum size exceeded\n");
    if (failure !== undefined && !released && !req.destroyed && !req.aborted) {
      return reply(res, 500, "Something went wrong receiving the file\n", { connection: "close" });
    }
    const newOffset = offset + output.bytesWritten;
    const headers: Record<string, string> = { "upload-offset": String(newOffset) };
    if (newOffset < upload.size && deps.expiryMs > 0) {
      headers["upload-expires"] = new Date(created + deps.expiryMs).toUTCString();
    }
    if (released || req.destroyed) headers.connection = "close";
    return reply(res, 204, "", headers);
  } finally {
    await lock.unlock();
  }
}

function reply(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): true {
  if (res.headersSent || res.destroyed) return true;
  res.writeHead(status, {
    "tus-resumable": TUS_RESUMABLE,
    // As @tus/server answers every tus request (no allowedOrigins configured).
    "access-control-allow-origin": "*",
    "access-control-expose-headers": EXPOSED_HEADERS,
    ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}),
    ...headers,
  });
  res.end(body);
  return true;
}

/** Passes at most `max` bytes, counting them; one byte more fails the pipeline. */
class ByteLimiter extends Transform {
  bytes = 0;
  exceeded = false;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.bytes + chunk.length > this.max) {
      this.exceeded = true;
      callback(new Error("upload's size exceeded"));
      return;
    }
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
