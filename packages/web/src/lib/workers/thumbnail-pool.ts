/**
 * A few module workers that decrypt thumbnails off the main thread, so scrolling never waits on AES-GCM.
 * Workers are same-origin files built by Vite (the CSP allows `worker-src 'self'` only, no blob: workers).
 */
import { WorkerPool } from "./worker-pool.js";

export interface DecryptRequest {
  id: number;
  fileKey: Uint8Array;
  fileId: string;
  variant: "grid" | "preview";
  blob: Uint8Array;
}

export type DecryptReply =
  | { id: number; ok: true; bytes: ArrayBuffer; startedAt: number; endedAt: number }
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
    if (!reply.ok)
      throw new ThumbnailDecryptError(
        reply.error.code ?? "DECRYPT_FAILED",
        reply.error.message,
        reply.error.name,
      );
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
}
