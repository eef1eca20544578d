/**
 * A few module workers that decrypt thumbnails off the main thread, so scrolling never waits on AES-GCM.
 * Workers are same-origin files built by Vite (the CSP allows `worker-src 'self'` only, no blob: workers).
 */
import type { ThumbnailBatchRequest, ThumbnailRequest } from "@umbra/client";
import { WorkerPool } from "./worker-pool.js";

/**
 * Sealed bytes to open (`blob`), a GET for the worker to send first (`request`: the SDK's `thumbnailRequest`), or
 * a POST of several thumbnails (`batch`: the SDK's `thumbnailBatchRequest`, with each file's key).
 */
export type DecryptRequest =
  | ({
      id: number;
      fileKey: Uint8Array;
      fileId: string;
      variant: "grid" | "preview";
      batch?: undefined;
    } & ({ blob: Uint8Array; request?: undefined } | { request: ThumbnailRequest; blob?: undefined }))
  | {
      id: number;
      variant: "grid" | "preview";
      batch: { request: ThumbnailBatchRequest; items: { fileId: string; fileKey: Uint8Array }[] };
    };

/** One thumbnail of a batch: its data: URL (empty when the file has none), absent at the server, or not opened. */
export type BatchOutcome =
  | { dataUrl: string; startedAt: number; endedAt: number }
  | { absent: true }
  | { error: { name: string; code: string | undefined; message: string } };

/** When the worker fetched: how long the GET took and how long of that the server took to answer. */
export interface FetchTiming {
  startedAt: number;
  durationMs: number;
  serverMs: number;
}

export type DecryptReply =
  | { id: number; ok: true; bytes: ArrayBuffer; startedAt: number; endedAt: number }
  /** A fetched thumbnail comes back as its data: URL (empty when the file has none). */
  | { id: number; ok: true; dataUrl: string; startedAt: number; endedAt: number; fetched: FetchTiming }
  /** A batch's thumbnails, in the order asked. */
  | { id: number; ok: true; batch: BatchOutcome[]; startedAt: number; endedAt: number; fetched: FetchTiming }
  /** The worker's GET did not answer 200 (or failed to send): the caller's own path retries and explains. */
  | { id: number; ok: false; unanswered: true }
  | { id: number; ok: false; error: { name: string; code: string | undefined; message: string } };

/** A decryption failure re-raised on the main thread with the crypto error's stable `code` (e.g. TAMPERED). */
export class ThumbnailDecryptError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly originalName: string,
  ) {
    super(message);
    this.name = "ThumbnailDecryptError";
  }
}

/**
 * When a page sets `globalThis.umbraThumbnailTimings = true` (the web benchmark does, before load), each
 * decryption leaves User Timing measures: `umbra-thumbnail-wait` (sealed bytes in hand → worker starts) and
 * `umbra-thumbnail-decrypt`. Off by default so a long session does not grow the performance buffer.
 */
function timingsEnabled(): boolean {
  return (globalThis as { umbraThumbnailTimings?: unknown }).umbraThumbnailTimings === true;
}

/**
 * As many workers as thumbnail loads in flight (the cache's concurrency): a load holds its slot until it is
 * decrypted, so a thumbnail that just arrived always finds an idle worker. Workers are mostly idle (a
 * decryption takes about a millisecond), so six cost little even on 2 cores.
 */
export const THUMBNAIL_WORKERS = 6;

/** Its workers start on first use or `warm` (during the first sync page), and stop on `terminate` (lock). */
export class ThumbnailDecryptPool extends WorkerPool<DecryptRequest, DecryptReply> {
  constructor(size = THUMBNAIL_WORKERS) {
    super(
      (i) =>
        new Worker(new URL("./thumbnail-worker.ts", import.meta.url), {
          type: "module",
          name: `thumbnail-decrypt-${i}`,
        }),
      size,
      "Thumbnail decryption",
    );
  }

  /** Copies the file key (the caller's copy may be cached) and transfers the ciphertext buffer. */
  async decrypt(
    fileKey: Uint8Array,
    fileId: string,
    variant: "grid" | "preview",
    blob: Uint8Array,
  ): Promise<Uint8Array> {
    const postedAt = performance.now();
    const transfer = blob.byteOffset === 0 && blob.byteLength === blob.buffer.byteLength ? [blob.buffer] : [];
    const { reply: pending, queuedBehind } = this.post(
      (id) => ({ id, fileKey: fileKey.slice(), fileId, variant, blob }),
      transfer as Transferable[],
    );
    const reply = await pending;
    if (!reply.ok) {
      if ("unanswered" in reply) throw new Error("A thumbnail worker fetched for a decryption");
      throw replyError(reply);
    }
    if (!("bytes" in reply)) throw new Error("A thumbnail worker answered a decryption with a data: URL");
    if (timingsEnabled()) {
      // Worker clocks have their own origin; both are converted to this page's timeline.
      const start = reply.startedAt - performance.timeOrigin;
      const end = reply.endedAt - performance.timeOrigin;
      performance.measure("umbra-thumbnail-wait", {
        start: postedAt,
        end: Math.max(postedAt, start),
        detail: { queuedBehind },
      });
      performance.measure("umbra-thumbnail-decrypt", { start, end: Math.max(start, end) });
    }
    return new Uint8Array(reply.bytes);
  }

  /**
   * The worker sends `request`, opens the answer and makes its data: URL, so the main thread handles one small
   * message per thumbnail instead of a fetch, its body and a base64 encoding. Undefined when the GET did not
   * answer 200: the caller then takes the SDK's own path (retries, error messages, a revoked session).
   */
  async fetchDataUrl(
    request: ThumbnailRequest,
    fileKey: Uint8Array,
    fileId: string,
    variant: "grid" | "preview",
  ): Promise<string | undefined> {
    const { reply: pending } = this.post((id) => ({
      id,
      fileKey: fileKey.slice(),
      fileId,
      variant,
      request,
    }));
    const reply = await pending;
    if (!reply.ok) {
      if ("unanswered" in reply) return undefined;
      throw replyError(reply);
    }
    if (!("dataUrl" in reply)) throw new Error("A thumbnail worker answered a fetch with bytes");
    if (timingsEnabled()) measureFetch(reply.fetched, variant, 1, [reply]);
    return reply.dataUrl;
  }

  /**
   * One worker sends the batch's POST, opens each thumbnail under its own file key and answers data: URLs. An id
   * the server marked absent, or every id when the POST did not answer 200, is left for the caller to ask alone.
   */
  async fetchDataUrls(
    request: ThumbnailBatchRequest,
    items: readonly { fileId: string; fileKey: Uint8Array }[],
    variant: "grid" | "preview",
  ): Promise<BatchResult[]> {
    const { reply: pending } = this.post((id) => ({
      id,
      variant,
      batch: { request, items: items.map((i) => ({ fileId: i.fileId, fileKey: i.fileKey.slice() })) },
    }));
    const reply = await pending;
    if (!reply.ok) {
      if ("unanswered" in reply) return items.map(() => ({ alone: true }));
      throw replyError(reply);
    }
    if (!("batch" in reply)) throw new Error("A thumbnail worker answered a batch with one thumbnail");
    if (timingsEnabled())
      measureFetch(
        reply.fetched,
        variant,
        items.length,
        reply.batch.filter((outcome) => "dataUrl" in outcome),
      );
    return reply.batch.map((outcome): BatchResult => {
      if ("dataUrl" in outcome) return { dataUrl: outcome.dataUrl };
      if ("absent" in outcome) return { alone: true };
      return { error: replyError(outcome) };
    });
  }
}

/** A worker's request as `umbra-thumbnail-get` (with how many thumbnails it brought) and each decryption it made. */
function measureFetch(
  get: FetchTiming,
  variant: "grid" | "preview",
  count: number,
  decrypted: readonly { startedAt: number; endedAt: number }[],
): void {
  // Worker clocks have their own origin; both are converted to this page's timeline.
  const origin = performance.timeOrigin;
  performance.measure("umbra-thumbnail-get", {
    start: get.startedAt - origin,
    duration: get.durationMs,
    detail: { serverMs: get.serverMs, variant, count },
  });
  for (const { startedAt, endedAt } of decrypted) {
    const start = startedAt - origin;
    performance.measure("umbra-thumbnail-decrypt", { start, end: Math.max(start, endedAt - origin) });
  }
}

/** What `fetchDataUrls` gives each id: a data: URL, an error to raise, or "ask alone" (absent, or no answer). */
export type BatchResult = { dataUrl: string } | { error: ThumbnailDecryptError } | { alone: true };

function replyError(reply: {
  error: { name: string; code: string | undefined; message: string };
}): ThumbnailDecryptError {
  return new ThumbnailDecryptError(
    reply.error.code ?? "DECRYPT_FAILED",
    reply.error.message,
    reply.error.name,
  );
}
