import { TamperedError, TruncatedError } from "@umbra/crypto";
import { STREAM_HEADER_LENGTH, StreamSegmentOpener } from "@umbra/crypto/stream";
import { LIVE_LENGTH_HEADER } from "@umbra/protocol";
import { sleep } from "./backoff.js";
import { UmbraClientError } from "./errors.js";
import { apiErrorFrom } from "./http.js";
import { contentAssociatedData } from "./keys.js";
import type { LiveDeps } from "./live-placement.js";
import { LiveSource, type LiveSourceState } from "./live-source.js";

export interface LiveReaderOptions {
  /** A shared album holding the file (found among the albums shared with us when absent and not ours). */
  albumId?: string;
  /** How often a live file is asked for new segments. */
  pollIntervalMs?: number;
  /** Ciphertext bytes asked for per request. */
  fetchBytes?: number;
}

/** Plaintext of a file, live or finished, in order; every segment authenticated before any byte of it is released. */
export interface LiveReader {
  /** The server's last word on whether the file is still recording (not authenticated: it only decides waiting). */
  readonly live: boolean;
  /** The next plaintext chunk; null only at the authenticated end (final segment, then the metadata size). */
  next(): Promise<Uint8Array | null>;
  close(): void;
}

export async function openLiveReader(
  deps: LiveDeps,
  fileId: string,
  options: LiveReaderOptions = {},
): Promise<LiveReader> {
  const source = await LiveSource.resolve(deps, fileId, options.albumId);
  return new SegmentedLiveReader(deps, source, await source.state(), options);
}

class SegmentedLiveReader implements LiveReader {
  private opener: StreamSegmentOpener | undefined;
  private segmentLength = 0;
  /** Ciphertext bytes read from the server (header included) and not yet authenticated. */
  private buffer: Uint8Array = new Uint8Array(0);
  private fetched = 0;
  private index = 0;
  private released = 0;
  /** Trailing zeros not released yet: they may be padding (SPEC §6.5, §6.11); released when data follows. */
  private heldZeros = 0;
  private finalSeen = false;
  private done = false;
  private closed = false;
  private failure: unknown;
  private readonly ready: Uint8Array[] = [];
  private readonly pollMs: number;
  private readonly fetchBytes: number;

  constructor(
    private readonly deps: LiveDeps,
    private readonly source: LiveSource,
    private current: LiveSourceState,
    options: LiveReaderOptions,
  ) {
    this.pollMs = options.pollIntervalMs ?? 250;
    this.fetchBytes = options.fetchBytes ?? 4 * 1024 * 1024;
  }

  get live(): boolean {
    return this.current.live;
  }

  close(): void {
    this.closed = true;
  }

  async next(): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.ready.shift();
      if (chunk) return chunk;
      // Segments that authenticated before a failure are released first, then the failure.
      if (this.failure !== undefined) throw this.failure;
      if (this.done || this.closed) return null;
      try {
        if (this.finalSeen) {
          await this.end();
          continue;
        }
        if (!(await this.fetchMore())) await sleep(this.pollMs);
      } catch (error) {
        this.failure = error;
      }
    }
  }

  /** Reads what the server has after `fetched`; false when a live file had nothing new. */
  private async fetchMore(): Promise<boolean> {
    const end = this.fetched + this.fetchBytes - 1;
    const response = await this.deps.http.send(
      `/api/files/${encodeURIComponent(this.source.fileId)}/content`,
      {
        headers: { range: `bytes=${this.fetched}-${end}` },
      },
    );
    const liveLength = response.headers.get(LIVE_LENGTH_HEADER);
    if (response.status === 416) {
      await response.body?.cancel().catch(() => {});
      if (liveLength !== null) {
        this.current = { ...this.current, live: true };
        return false;
      }
      // A finished stream with nothing after what we read, and no final segment: cut short.
      this.current = await this.source.state();
      if (this.current.live) return false;
      return this.settle(true);
    }
    if (!response.ok) throw await apiErrorFrom(response);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status === 200 && this.fetched > 0) {
      throw new UmbraClientError("INVALID_RESPONSE", "The server ignored the Range of a live read");
    }
    this.fetched += bytes.length;
    this.buffer = join(this.buffer, bytes);
    const total = /\/(\d+)$/.exec(response.headers.get("content-range") ?? "")?.[1];
    const atEnd =
      liveLength === null &&
      (response.status === 200 || (total !== undefined && this.fetched >= Number(total)));
    if (liveLength !== null) this.current = { ...this.current, live: true };
    await this.consume(atEnd);
    return bytes.length > 0 || atEnd;
  }

  /** Authenticates every whole segment buffered; at the end of a finished stream, the shorter final one too. */
  private async consume(atEnd: boolean): Promise<void> {
    if (!this.opener) {
      if (this.buffer.length < STREAM_HEADER_LENGTH) {
        if (atEnd) throw new TruncatedError("The stream ends inside its header");
        return;
      }
      this.opener = await StreamSegmentOpener.create(this.source.fileKey, {
        associatedData: contentAssociatedData(this.source.fileId),
        header: this.buffer.subarray(0, STREAM_HEADER_LENGTH),
      });
      this.segmentLength = this.opener.segmentSize + 16;
      this.buffer = this.buffer.slice(STREAM_HEADER_LENGTH);
    }
    // Only whole segments while the end is not known: a length off a segment boundary waits for the rest.
    while (this.buffer.length >= this.segmentLength && !this.finalSeen) {
      await this.openSegment(this.buffer.subarray(0, this.segmentLength));
      this.buffer = this.buffer.slice(this.segmentLength);
    }
    if (this.finalSeen && this.buffer.length > 0) throw new TamperedError("Data follows the final segment");
    if (atEnd) await this.settle(false);
  }

  /** The end of a finished stream's bytes: the rest must be the final segment. */
  private async settle(nothingLeft: boolean): Promise<boolean> {
    if (!this.finalSeen) {
      if (nothingLeft || this.buffer.length === 0) {
        throw new TruncatedError("The stream ends without its final segment");
      }
      await this.openSegment(this.buffer);
      this.buffer = new Uint8Array(0);
      if (!this.finalSeen) throw new TruncatedError("The stream ends without its final segment");
    }
    return true;
  }

  private async openSegment(ciphertext: Uint8Array): Promise<void> {
    const opened = await this.opener!.open(this.index++, ciphertext);
    if (opened.isLast) this.finalSeen = true;
    this.release(opened.plaintext);
  }

  /** Releases plaintext up to its last non-zero byte; the zeros after it wait (they may be padding). */
  private release(plaintext: Uint8Array): void {
    let last = plaintext.length - 1;
    while (last >= 0 && plaintext[last] === 0) last--;
    if (last < 0) {
      this.heldZeros += plaintext.length;
      return;
    }
    const size = this.current.size;
    const out = join(new Uint8Array(this.heldZeros), plaintext.subarray(0, last + 1));
    if (size !== undefined && this.released + out.length > size) {
      throw new TamperedError("Non-zero bytes after the file's size");
    }
    this.released += out.length;
    this.heldZeros = plaintext.length - last - 1;
    this.ready.push(out);
  }

  /** After the final segment: waits for the finished record, then releases the zeros that are content. */
  private async end(): Promise<void> {
    this.current = await this.source.state();
    if (this.current.live || this.current.size === undefined) {
      await sleep(this.pollMs);
      return;
    }
    const rest = this.current.size - this.released;
    if (rest < 0) throw new TamperedError("Non-zero bytes after the file's size");
    if (rest > this.heldZeros) throw new TruncatedError("The stream is shorter than the file's size");
    if (rest > 0) this.ready.push(new Uint8Array(rest));
    this.released += rest;
    this.done = true;
  }
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
