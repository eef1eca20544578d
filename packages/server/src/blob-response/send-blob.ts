import type { FastifyReply, FastifyRequest } from "fastify";
import { blobIncomplete, HttpError, notFound } from "../http-error.js";
import { type BlobPart, blobIds } from "../storage/blob-ids.js";
import type { BlobStore } from "../storage/blob-store.js";
import { parseRange } from "./byte-range.js";

/** The blob to send and what the database says about it. */
export interface BlobToSend {
  /** The file the blob belongs to (named in the log when the blob is not what its record says). */
  fileId: string;
  blobId: string;
  /** Length recorded in the database: the Content-Length promised to the client. */
  size: number;
}

/** Streams an immutable ciphertext blob with a strong ETag and single-range support. */
export async function sendBlob(
  blobs: BlobStore,
  request: FastifyRequest,
  reply: FastifyReply,
  { fileId, blobId, size }: BlobToSend,
) {
  // Blob ids are never reused, so the id is a strong validator for these exact bytes.
  const etag = `"${blobId}"`;
  reply
    .header("etag", etag)
    .header("accept-ranges", "bytes")
    .header("cache-control", "private, max-age=31536000, immutable")
    .header("content-type", "application/octet-stream");
  if (request.headers["if-none-match"] === etag) return reply.code(304).send();
  // A blob cut short on disk would otherwise be announced at its recorded length and end mid-body, which a
  // client can only read as a dropped connection: refuse before the first byte instead.
  const stored = await blobs.stat(blobId);
  if (stored?.size !== size) {
    request.log.error(
      { code: "BLOB_INCOMPLETE", fileId, blobId, recordedBytes: size, storedBytes: stored?.size ?? null },
      "stored blob length differs from its record",
    );
    throw blobIncomplete();
  }
  const ifRange = request.headers["if-range"];
  const range =
    ifRange && ifRange !== etag ? ({ kind: "full" } as const) : parseRange(request.headers.range, size);
  if (range.kind === "unsatisfiable") {
    reply.header("content-range", `bytes */${size}`);
    throw new HttpError("RANGE_NOT_SATISFIABLE", `range not satisfiable (size ${size})`, {
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

/** The file's content or one of its thumbnails, at the length its row records. */
export async function sendFileBlob(
  blobs: BlobStore,
  request: FastifyRequest,
  reply: FastifyReply,
  file: {
    id: string;
    blob_key: string;
    content_size: number;
    grid_size: number;
    preview_size: number;
    live_appended_at?: string | null;
  },
  part: BlobPart,
) {
  // A live recording has no content blob until its finish; routes that serve it live (files.ts) do so before this.
  if (part === "content" && file.live_appended_at != null)
    throw notFound("finished content of this recording");
  const size = { content: file.content_size, grid: file.grid_size, preview: file.preview_size }[part];
  return sendBlob(blobs, request, reply, {
    fileId: file.id,
    blobId: blobIds(file.blob_key)[part],
    size: Number(size),
  });
}
