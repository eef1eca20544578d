import fs from "node:fs/promises";
import path from "node:path";
import { LIVE_LENGTH_HEADER } from "@umbra/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "../http-error.js";
import { parseRange } from "./byte-range.js";

/** Where a live file's bytes grow until its finish moves them into the blob store. */
export const liveDataDir = (dataDir: string) => path.join(dataDir, "live");
export const liveDataPath = (dataDir: string, fileId: string) => path.join(liveDataDir(dataDir), fileId);

/**
 * Bytes 0..length−1 of a live file, where `length` is what the database says was appended (bytes past it are
 * an append in progress or a cut one, never served). Not cacheable; a range answers `bytes a-b/*` (the total is
 * still growing) and every answer names the current length in Umbra-Live-Length. Throws ENOENT when the file
 * was finished meanwhile (the caller serves the blob then).
 */
export async function sendLiveContent(
  request: FastifyRequest,
  reply: FastifyReply,
  dataPath: string,
  length: number,
) {
  const liveHeaders = { [LIVE_LENGTH_HEADER]: String(length), "cache-control": "no-store" };
  reply
    .headers(liveHeaders)
    .header("accept-ranges", "bytes")
    .header("content-type", "application/octet-stream");
  const range = parseRange(request.headers.range, length);
  if (range.kind === "unsatisfiable") {
    throw new HttpError("RANGE_NOT_SATISFIABLE", `nothing past byte ${length} yet`, {
      ...liveHeaders,
      "content-range": `bytes */${length}`,
    });
  }
  if (length === 0) return reply.header("content-length", "0").send(Buffer.alloc(0));
  const { start, end } = range.kind === "partial" ? range.range : { start: 0, end: length - 1 };
  // Opened before answering: a finish that moved the bytes away shows up here as ENOENT, not as a cut body.
  const handle = await fs.open(dataPath, "r");
  // The handle's own stream closes the handle: a raw fd closed by a stream would be closed again when the
  // handle is collected, by then maybe someone else's descriptor (a socket).
  const stream = handle.createReadStream({ start, end });
  if (range.kind === "partial") reply.code(206).header("content-range", `bytes ${start}-${end}/*`);
  return reply.header("content-length", String(end - start + 1)).send(stream);
}
