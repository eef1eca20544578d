import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "../http-error.js";
import type { BlobStore } from "../storage/blob-store.js";
import { parseRange } from "./byte-range.js";

/** Streams an immutable ciphertext blob with a strong ETag and single-range support. */
export async function sendBlob(
  blobs: BlobStore,
  request: FastifyRequest,
  reply: FastifyReply,
  blobId: string,
  size: number,
) {
  // Blob ids are never reused, so the id is a strong validator for these exact bytes.
  const etag = `"${blobId}"`;
  reply
    .header("etag", etag)
    .header("accept-ranges", "bytes")
    .header("cache-control", "private, max-age=31536000, immutable")
    .header("content-type", "application/octet-stream");
  if (request.headers["if-none-match"] === etag) return reply.code(304).send();
  const ifRange = request.headers["if-range"];
  const range =
    ifRange && ifRange !== etag ? ({ kind: "full" } as const) : parseRange(request.headers.range, size);
  if (range.kind === "unsatisfiable") {
    reply.header("content-range", `bytes */${size}`);
    throw new HttpError(416, "RANGE_NOT_SATISFIABLE", `range not satisfiable (size ${size})`, {
      "content-range": `bytes */${size}`,
    });
  }
  if (range.kind === "partial") {
    const { start, end } = range.range;
    reply
      .code(206)
      .header("content-range", `bytes ${start}-${end}/${size}`)
      .header("content-length", String(end - start + 1));
    return reply.send(await blobs.get(blobId, range.range));
  }
  reply.header("content-length", String(size));
  if (size === 0) return reply.send(Buffer.alloc(0));
  return reply.send(await blobs.get(blobId));
}
