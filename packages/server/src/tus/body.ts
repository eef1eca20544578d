import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { EXPOSED_HEADERS, TUS_RESUMABLE } from "@tus/server";

/**
 * The body of a tus request written straight from the Node request into the upload's file. @tus/server
 * converts every body Node → web → Node stream (copying each chunk through five stream stages), which cost
 * the server as much CPU as writing the bytes; our PATCH and creation paths use this instead.
 */
const WRITE_HIGH_WATER_MARK = 1024 * 1024;

export interface ReceivedBody {
  /** Bytes that reached the file (the upload's new offset is the old one plus this). */
  written: number;
  /** More than `remaining` bytes arrived: the client's error (413). */
  exceeded: boolean;
  /** The transfer failed for another reason than a disconnect or an abort (disk full…): a server error. */
  failed: boolean;
}

export async function receiveBody(
  req: IncomingMessage,
  filePath: string,
  offset: number,
  remaining: number,
  signal: AbortSignal,
): Promise<ReceivedBody> {
  const limiter = new ByteLimiter(remaining);
  const output = createWriteStream(filePath, {
    flags: "r+",
    start: offset,
    highWaterMark: WRITE_HIGH_WATER_MARK,
  });
  let failure: unknown;
  try {
    await pipeline(req, limiter, output, { signal });
  } catch (error) {
    failure = error;
  }
  // The offset is what reached the file: wait until the write stream has flushed or given up.
  if (!output.closed) await once(output, "close").catch(() => undefined);
  return {
    written: output.bytesWritten,
    exceeded: limiter.exceeded,
    failed: failure !== undefined && !signal.aborted && !req.destroyed && !req.aborted,
  };
}

/** A tus answer with the headers @tus/server sends on every response (no allowedOrigins configured). */
export function tusReply(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): true {
  if (res.headersSent || res.destroyed) return true;
  res.writeHead(status, {
    "tus-resumable": TUS_RESUMABLE,
    "access-control-allow-origin": "*",
    "access-control-expose-headers": EXPOSED_HEADERS,
    ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}),
    ...headers,
  });
  res.end(body);
  return true;
}

const OCTET_OFFSET = "application/offset+octet-stream";
const UPLOAD_NUMBER = /^(0|[1-9]\d{0,15})$/;

/**
 * The number in the one Upload-* header (`numberHeader`) a direct-write request carries, when the request is a
 * plain one our writers handle: tus 1.0, an octet-stream body, no other Upload-* / Tus-* header. Anything else
 * (missing or malformed included) is undefined and left to @tus/server, whose answers are the reference.
 */
export function plainTusRequestNumber(
  req: IncomingMessage,
  numberHeader: "upload-length" | "upload-offset",
): number | undefined {
  for (const name of Object.keys(req.headers)) {
    const tusHeader = name.startsWith("upload-") || name.startsWith("tus-");
    if (tusHeader && name !== "tus-resumable" && name !== numberHeader) return undefined;
  }
  const value = req.headers[numberHeader];
  if (req.headers["tus-resumable"] !== TUS_RESUMABLE || req.headers["content-type"] !== OCTET_OFFSET) {
    return undefined;
  }
  return typeof value === "string" && UPLOAD_NUMBER.test(value) ? Number(value) : undefined;
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
