/**
 * A few module workers that decrypt thumbnails off the main thread, so scrolling never waits on AES-GCM.
 * Workers are same-origin files built by Vite (the CSP allows `worker-src 'self'` only, no blob: workers).
 */
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

interface Slot {
  worker: Worker;
  busy: number;
}

interface Waiter {
  slot: Slot;
  postedAt: number;
  /** Decryptions already waiting in the same worker when this one was posted. */
  queuedBehind: number;
  resolve: (bytes: Uint8Array) => void;
  reject: (error: unknown) => void;
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

export class ThumbnailDecryptPool {
  private slots: Slot[] = [];
  private readonly waiters = new Map<number, Waiter>();
  private nextId = 1;

  constructor(private readonly size = THUMBNAIL_WORKERS) {}

  /** Starts the workers ahead of need (during login's key derivation), so the first use does not wait. */
  warm(): void {
    if (this.slots.length === 0) this.start();
  }

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(new URL("./thumbnail-worker.ts", import.meta.url), {
        type: "module",
        name: `thumbnail-decrypt-${i}`,
      });
      const slot: Slot = { worker, busy: 0 };
      worker.onmessage = (event: MessageEvent<DecryptReply>) => this.settle(slot, event.data);
      worker.onerror = (event) => this.fail(slot, new Error(`Thumbnail worker failed: ${event.message}`));
      this.slots.push(slot);
    }
  }

  /** Copies the file key (the caller's copy may be cached) and transfers the ciphertext buffer. */
  decrypt(
    fileKey: Uint8Array,
    fileId: string,
    variant: "grid" | "preview",
    blob: Uint8Array,
  ): Promise<Uint8Array> {
    if (this.slots.length === 0) this.start();
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    const queuedBehind = slot.busy++;
    return new Promise((resolve, reject) => {
      this.waiters.set(id, { slot, postedAt: performance.now(), queuedBehind, resolve, reject });
      const request: DecryptRequest = { id, fileKey: fileKey.slice(), fileId, variant, blob };
      const transfer =
        blob.byteOffset === 0 && blob.byteLength === blob.buffer.byteLength ? [blob.buffer] : [];
      slot.worker.postMessage(request, transfer as Transferable[]);
    });
  }

  private settle(slot: Slot, reply: DecryptReply): void {
    const waiter = this.waiters.get(reply.id);
    if (!waiter) return;
    this.waiters.delete(reply.id);
    slot.busy--;
    if (reply.ok && timingsEnabled()) {
      // Worker clocks have their own origin; both are converted to this page's timeline.
      const start = reply.startedAt - performance.timeOrigin;
      const end = reply.endedAt - performance.timeOrigin;
      performance.measure("umbra-thumbnail-wait", {
        start: waiter.postedAt,
        end: Math.max(waiter.postedAt, start),
        detail: { queuedBehind: waiter.queuedBehind },
      });
      performance.measure("umbra-thumbnail-decrypt", { start, end: Math.max(start, end) });
    }
    if (reply.ok) waiter.resolve(new Uint8Array(reply.bytes));
    else
      waiter.reject(
        new ThumbnailDecryptError(
          reply.error.code ?? "DECRYPT_FAILED",
          reply.error.message,
          reply.error.name,
        ),
      );
  }

  private fail(slot: Slot, error: Error): void {
    for (const [id, waiter] of this.waiters) {
      if (waiter.slot !== slot) continue;
      this.waiters.delete(id);
      slot.busy--;
      waiter.reject(error);
    }
  }

  /** Stops the workers (on lock); they are started again on the next request. */
  terminate(): void {
    for (const slot of this.slots) {
      slot.worker.terminate();
      this.fail(slot, new Error("Thumbnail decryption stopped"));
    }
    this.slots = [];
  }
}
