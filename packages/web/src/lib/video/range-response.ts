import { TamperedError, TruncatedError, UmbraCryptoError } from "@umbra/crypto";
import {
  decryptSegmentWithKey,
  parseStreamHeader,
  plaintextLengthFromCiphertextLength,
  type SegmentRange,
  type StreamHeader,
  segmentRangeForBytes,
} from "@umbra/crypto/stream";
import { parseRange } from "./byte-range.js";
import { ExactReader } from "./exact-reader.js";

const TAG_LENGTH = 16;

/** One file's encrypted content as the player streams it (the worker's copy of a MediaStreamSource). */
export interface RangeSource {
  /** The content stream's AES-GCM subkey (non-extractable). */
  key: CryptoKey;
  /** The 47-byte stream header. */
  header: Uint8Array;
  ciphertextLength: number;
  /** The true size (authenticated metadata): Content-Range's total; the padding after it is never served. */
  plaintextLength: number;
  mime: string;
}

/** ONE upstream request for ciphertext bytes start..endInclusive (`Range: bytes=start-end`). */
export type FetchCiphertext = (start: number, endInclusive: number, signal: AbortSignal) => Promise<Response>;

/** Codes the page shows: an integrity failure (TAMPERED, TRUNCATED, …) or the server's refusal (its status). */
export type MediaFailure =
  | { kind: "integrity"; code: string; message: string }
  | { kind: "status"; status: number }
  /** The server could not be reached, or the connection dropped: not the data's fault; the browser retries. */
  | { kind: "network"; message: string };

/** Upstream statuses passed on as they are, so the page can tell "gone" or "not allowed" from a fault. */
const PASSED_ON = new Set([401, 403, 404, 410]);

/**
 * Answers a media element's request for plaintext bytes (its Range header) from the encrypted content: maps the
 * range to the covering segments, fetches them with one upstream Range request and releases each segment only
 * after it authenticated, as the reader asks (highWaterMark 0: an open-ended `bytes=N-` that the browser
 * cancels costs only what it read). A first segment that fails answers 502 with nothing released; a later one
 * errors the body (the browser asks again from there and gets the 502). `onFailure` hears every failure.
 */
export async function answerRange(
  rangeHeader: string | null,
  source: RangeSource,
  fetchCiphertext: FetchCiphertext,
  onFailure: (failure: MediaFailure) => void = () => {},
  /** The media request's own signal: a request the browser drops before its answer stops the upstream too. */
  requestSignal?: AbortSignal,
): Promise<Response> {
  const size = source.plaintextLength;
  const range = parseRange(rangeHeader, size);
  if (range === "unsatisfiable")
    return new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
  const base = { "content-type": source.mime, "accept-ranges": "bytes", "cache-control": "no-store" };
  if (size === 0) return new Response(new Uint8Array(0), { status: 200, headers: base });
  const start = range?.start ?? 0;
  let end = range?.end ?? size - 1;
  if (range?.openEnded) end = Math.min(end, windowEnd(start, source.header));
  const abort = new AbortController();
  requestSignal?.addEventListener("abort", () => abort.abort(), { once: true });
  let segments: SegmentSource;
  let first: Uint8Array;
  try {
    segments = await SegmentSource.open(source, start, end, fetchCiphertext, abort.signal);
    first = await segments.next();
  } catch (error) {
    const dropped = abort.signal.aborted; // The browser gave up on this request: nothing failed.
    abort.abort();
    const failure = failureOf(error);
    if (!dropped) onFailure(failure);
    return new Response(null, {
      status: failure.kind === "status" && PASSED_ON.has(failure.status) ? failure.status : 502,
      headers: { "umbra-error": failureCode(failure) },
    });
  }
  let pendingFirst: Uint8Array | null = first;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = pendingFirst ?? (await segments.next());
          pendingFirst = null;
          if (chunk.length > 0) controller.enqueue(chunk);
          if (segments.done) {
            controller.close();
            await segments.finish();
          }
        } catch (error) {
          // A read cut by our own abort (the browser cancelled the body) is no failure to report.
          if (abort.signal.aborted) return;
          abort.abort();
          onFailure(failureOf(error));
          controller.error(error);
        }
      },
      cancel() {
        abort.abort();
        void segments.finish();
      },
    },
    { highWaterMark: 0 },
  );
  const headers = { ...base, "content-length": String(end - start + 1) };
  if (range === null) return new Response(body, { status: 200, headers });
  return new Response(body, {
    status: 206,
    headers: { ...headers, "content-range": `bytes ${start}-${end}/${size}` },
  });
}

/**
 * Plaintext bytes one open-ended answer carries at most (then the browser asks again from where it ended).
 * Chromium reads a `bytes=N-` answer far ahead of what it buffers (about 70 MB measured here for 4 MB played),
 * so an answer running to the end of a large file would fetch and decrypt most of it for nothing.
 */
export const OPEN_ENDED_WINDOW = 4 * 1024 * 1024;

/** The window's last byte, at a segment boundary so that the next request starts on a fresh segment. */
function windowEnd(start: number, headerBytes: Uint8Array): number {
  let segmentSize: number;
  try {
    segmentSize = parseStreamHeader(headerBytes).segmentSize;
  } catch {
    return Number.MAX_SAFE_INTEGER; // A bad header fails below, with its own error.
  }
  const segments = Math.max(1, Math.floor(OPEN_ENDED_WINDOW / segmentSize));
  return (Math.floor(start / segmentSize) + segments) * segmentSize - 1;
}

function failureOf(error: unknown): MediaFailure {
  if (error instanceof UpstreamStatusError) return { kind: "status", status: error.status };
  if (error instanceof UmbraCryptoError)
    return { kind: "integrity", code: error.code, message: error.message };
  // fetch() failing, or a connection dropped mid-body (a body that ends early is TRUNCATED, above).
  return { kind: "network", message: error instanceof Error ? error.message : String(error) };
}

function failureCode(failure: MediaFailure): string {
  if (failure.kind === "integrity") return failure.code;
  return failure.kind === "status" ? `HTTP_${failure.status}` : "NETWORK";
}

/** The server refused the upstream request with this status. */
export class UpstreamStatusError extends Error {
  constructor(readonly status: number) {
    super(`The server answered ${status}`);
    this.name = "UpstreamStatusError";
  }
}

/** The plaintext of the segments covering start..end, one authenticated segment per `next()`. */
class SegmentSource {
  private index: number;
  private skip: number;
  private remaining: number;
  private offset: number;

  private constructor(
    private readonly header: StreamHeader,
    private readonly key: CryptoKey,
    private readonly range: SegmentRange,
    private readonly reader: ExactReader,
  ) {
    this.index = range.firstSegment;
    this.skip = range.skipBytes;
    this.remaining = range.byteLength;
    this.offset = range.ciphertextStart;
  }

  static async open(
    source: RangeSource,
    start: number,
    end: number,
    fetchCiphertext: FetchCiphertext,
    signal: AbortSignal,
  ): Promise<SegmentSource> {
    const header = parseStreamHeader(source.header);
    const streamLength = plaintextLengthFromCiphertextLength(source.ciphertextLength, header.segmentSize);
    if (source.plaintextLength > streamLength)
      throw new TruncatedError(
        `The stream holds ${streamLength} bytes, fewer than ${source.plaintextLength}`,
      );
    const range = segmentRangeForBytes(start, end, header.segmentSize, streamLength);
    const response = await fetchCiphertext(range.ciphertextStart, range.ciphertextEnd, signal);
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw PASSED_ON.has(response.status)
        ? new UpstreamStatusError(response.status)
        : new UpstreamStatusError(response.status >= 500 ? response.status : 502);
    }
    if (response.status !== 206 || !response.body) {
      await response.body?.cancel().catch(() => {});
      throw new TamperedError("The server ignored the Range request for the ciphertext");
    }
    return new SegmentSource(header, source.key, range, new ExactReader(response.body));
  }

  get done(): boolean {
    return this.remaining === 0;
  }

  /** The next segment's wanted plaintext, after its tag verified (the final segment with last = 1). */
  async next(): Promise<Uint8Array> {
    const { range, header } = this;
    const stride = header.segmentSize + TAG_LENGTH;
    const length = Math.min(stride, range.ciphertextEnd + 1 - this.offset);
    const ciphertext = await this.reader.read(length);
    if (ciphertext.length < length)
      throw new TruncatedError(`Segment ${this.index} ended after ${ciphertext.length} of ${length} bytes`);
    const isLast = range.includesFinalSegment && this.index === range.lastSegment;
    const plaintext = await this.open(ciphertext, isLast);
    const part = plaintext.subarray(this.skip, this.skip + this.remaining);
    this.index++;
    this.offset += length;
    this.skip = 0;
    this.remaining -= part.length;
    if (this.remaining > 0 && this.index > range.lastSegment)
      throw new TruncatedError("The segments hold fewer bytes than the range needs");
    return part;
  }

  /** A final segment that opens only as non-final means the blob was cut at a segment boundary (SPEC §6.6). */
  private async open(ciphertext: Uint8Array, isLast: boolean): Promise<Uint8Array> {
    const { key, index } = this;
    const { noncePrefix } = this.header;
    try {
      return await decryptSegmentWithKey(key, noncePrefix, index, isLast, ciphertext);
    } catch (error) {
      if (!isLast) throw error;
      await decryptSegmentWithKey(key, noncePrefix, index, false, ciphertext).catch(() => {
        throw error;
      });
      throw new TruncatedError(`The stream ends after segment ${index} without its final segment`);
    }
  }

  /** Done or cancelled: any byte the server sent past the range is dropped with the connection. */
  finish(): Promise<void> {
    return this.reader.cancel();
  }
}
