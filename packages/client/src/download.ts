import { fromBase64Url, type ThumbnailVariant, TruncatedError } from "@umbra/crypto";
import { createDecryptStream, SegmentReader } from "@umbra/crypto/stream";
import type { FileRecord } from "@umbra/protocol";
import { InvalidResponseError } from "./errors.js";
import { apiErrorFrom, type HttpTransport } from "./http.js";
import { contentAssociatedData } from "./keys.js";
import type { FileEntry, Library } from "./library.js";
import { decryptRecordThumbnail, type RecordDecryptor } from "./record-decrypt.js";

export interface DownloadResult {
  entry: FileEntry;
  /** Decrypted bytes; errors with TAMPERED/TRUNCATED before releasing any segment that fails authentication. */
  stream: ReadableStream<Uint8Array>;
  /** Plaintext bytes the stream will deliver. */
  length: number;
}

/**
 * Reading a body fails with a TypeError when the connection drops mid-way (undici says "terminated"): the bytes
 * the server announced never all arrived, which is the integrity error TRUNCATED, not a bare TypeError.
 */
function cutShort(error: unknown, what: string): unknown {
  if (!(error instanceof TypeError)) return error;
  return new TruncatedError(`The download of ${what} ended before all its bytes arrived (${error.message})`, {
    cause: error,
  });
}

/** A response body whose dropped connection errors as TRUNCATED (aborts and other errors pass unchanged). */
export function guardedBody(body: ReadableStream<Uint8Array>, what: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(cutShort(error, what));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Pull only when the consumer asks: the decrypt stream's backpressure reaches the socket unchanged.
    { highWaterMark: 0 },
  );
}

/** A whole (small) body, with a dropped connection as TRUNCATED. */
async function bodyBytes(response: Response, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw cutShort(error, what);
  }
}

/** GET the ciphertext (or a byte range of it), with the transport's retries. */
async function fetchContent(
  http: HttpTransport,
  fileId: string,
  range?: [number, number],
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (range) headers.range = `bytes=${range[0]}-${range[1]}`;
  const response = await http.send(`/api/files/${encodeURIComponent(fileId)}/content`, { headers });
  if (!response.ok) throw await apiErrorFrom(response);
  if (range && response.status !== 206) {
    await response.body?.cancel().catch(() => {});
    throw new InvalidResponseError(`The server ignored the Range request for ${fileId}`);
  }
  if (!response.body) throw new InvalidResponseError(`The server sent no content for ${fileId}`);
  return response;
}

/** The whole file, decrypted while it streams in. */
export async function downloadFile(
  http: HttpTransport,
  library: Library,
  fileId: string,
): Promise<DownloadResult> {
  const entry = await library.file(fileId);
  const fileKey = await library.fileKey(entry.record);
  const response = await fetchContent(http, fileId);
  const stream = guardedBody(response.body!, fileId).pipeThrough(
    createDecryptStream(fileKey, {
      associatedData: contentAssociatedData(fileId),
      plaintextLength: entry.metadata.size,
    }),
  );
  return { entry, stream, length: entry.metadata.size };
}

/**
 * Plaintext bytes start..endInclusive: fetches only the segments that cover them (HTTP Range) and
 * authenticates each before returning anything.
 */
export async function downloadRange(
  http: HttpTransport,
  library: Library,
  fileId: string,
  start: number,
  endInclusive: number,
): Promise<Uint8Array> {
  const entry = await library.file(fileId);
  const fileKey = await library.fileKey(entry.record);
  const reader = await SegmentReader.open(fileKey, {
    associatedData: contentAssociatedData(fileId),
    ciphertextLength: entry.record.contentSize,
    plaintextLength: entry.metadata.size,
    fetchCiphertextRange: async (a, b) => {
      const response = await fetchContent(http, fileId, [a, b]);
      return bodyBytes(response, fileId);
    },
  });
  return reader.read(start, endInclusive);
}

export interface ThumbnailOptions {
  /** Where the thumbnail is opened: the library's decryptor unless given (the web app passes its worker pool). */
  decryptor?: RecordDecryptor;
  /** The record's file key from a caller that keeps keys for its session (not wiped here); unwrapped otherwise. */
  fileKey?: (record: FileRecord) => Promise<Uint8Array>;
}

function thumbnailPath(fileId: string, variant: ThumbnailVariant): string {
  return `/api/files/${encodeURIComponent(fileId)}/thumbnails/${variant}`;
}

/** One plain GET of a thumbnail's sealed bytes, for a caller that fetches it elsewhere (e.g. in a worker). */
export interface ThumbnailRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * The GET `downloadThumbnail` sends, without its retries: the web app's decrypt workers fetch with it (the main
 * thread then never touches the bytes), open the answer with `decryptRecordThumbnail`, and leave anything but a
 * 200 to `downloadThumbnail`.
 */
export function thumbnailRequest(
  http: HttpTransport,
  fileId: string,
  variant: ThumbnailVariant,
): ThumbnailRequest {
  return { url: http.url(thumbnailPath(fileId, variant)), headers: http.authHeaders() };
}

/** One POST of several thumbnails' sealed bytes, for a caller that sends it elsewhere (the web app's workers). */
export interface ThumbnailBatchRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The `POST /api/thumbnails` for up to THUMBNAIL_BATCH_MAX ids: its answer is read with `parseThumbnailBatch` and
 * each thumbnail opened with `decryptRecordThumbnail` under its own file's key (docs/PROTOCOL.md).
 */
export function thumbnailBatchRequest(
  http: HttpTransport,
  fileIds: readonly string[],
  variant: ThumbnailVariant,
): ThumbnailBatchRequest {
  return {
    url: http.url("/api/thumbnails"),
    headers: { ...http.authHeaders(), "content-type": "application/json" },
    body: JSON.stringify({ variant, ids: fileIds }),
  };
}

/** A file's thumbnail, fetched while its key is unwrapped, and opened by the decryptor. */
export async function downloadThumbnail(
  http: HttpTransport,
  library: Library,
  fileId: string,
  variant: ThumbnailVariant,
  options: ThumbnailOptions = {},
): Promise<Uint8Array> {
  const entry = await library.file(fileId);
  const [response, fileKey] = await Promise.all([
    http.send(thumbnailPath(fileId, variant)),
    options.fileKey?.(entry.record) ?? library.fileKey(entry.record),
  ]);
  try {
    if (!response.ok) throw await apiErrorFrom(response);
    const ciphertext = await bodyBytes(response, `the ${variant} thumbnail of ${fileId}`);
    return await (options.decryptor ?? library.decryptor).thumbnail(fileKey, fileId, variant, ciphertext);
  } finally {
    if (!options.fileKey) fileKey.fill(0);
  }
}

/** For callers holding base64url thumbnails (e.g. an offline backup). */
export function decodeThumbnail(fileKey: Uint8Array, fileId: string, variant: ThumbnailVariant, b64: string) {
  return decryptRecordThumbnail(fileKey, fileId, variant, fromBase64Url(b64));
}
