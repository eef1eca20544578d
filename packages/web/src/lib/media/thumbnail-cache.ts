import { jpegDataUrl } from "./data-url.js";

/**
 * Fetches and decrypts thumbnails lazily with a concurrency limit, newest request first (what just
 * scrolled into view), and keeps a bounded LRU of data: URLs so memory stays flat over 100,000 items.
 */

export type ThumbVariant = "grid" | "preview";

/** The file was uploaded without a thumbnail (an image its uploader could not decode): show a placeholder. */
export class NoThumbnailError extends Error {
  readonly code = "NO_THUMBNAIL";
  constructor(id: string) {
    super(`${id} has no thumbnail`);
    this.name = "NoThumbnailError";
  }
}
/** Fetches and decrypts one thumbnail: its JPEG bytes, or already its data: URL (empty: the file has none). */
type Loader = (id: string, variant: ThumbVariant) => Promise<Uint8Array | string>;
/** One thumbnail of a batch load, in the order asked. */
export type BatchLoaded = { ok: true; value: Uint8Array | string } | { ok: false; error: unknown };
/** Several thumbnails in one load (one request to the server); each settles on its own. */
type BatchLoader = (ids: string[], variant: ThumbVariant) => Promise<BatchLoaded[]>;

export interface ThumbnailCacheOptions {
  /** Loads run in batches of up to `batchMax`, when given. */
  loadBatch?: BatchLoader;
  batchMax?: number;
}

interface Pending {
  key: string;
  id: string;
  variant: ThumbVariant;
  waiters: { resolve: (url: string) => void; reject: (e: unknown) => void }[];
  cancelled: boolean;
  started: boolean;
  /** Requested ahead of the viewport with nobody waiting yet; replaced by the next prefetch. */
  prefetch: boolean;
}

export class ThumbnailCache {
  private readonly urls = new Map<string, string>();
  private readonly pending = new Map<string, Pending>();
  private queue: Pending[] = [];
  private running = 0;

  constructor(
    private readonly load: Loader,
    private readonly concurrency = 6,
    private readonly capacity = 800,
    private readonly options: ThumbnailCacheOptions = {},
  ) {}

  peek(id: string, variant: ThumbVariant): string | undefined {
    const key = `${variant}:${id}`;
    const url = this.urls.get(key);
    if (url) {
      this.urls.delete(key);
      this.urls.set(key, url); // Refresh LRU position.
    }
    return url;
  }

  /**
   * Resolves with an object URL; `signal` drops the request if it has not started when the tile leaves view.
   * `urgent: false` (a tile rendered ahead of the viewport) queues behind every urgent request, so what is on
   * screen is fetched first.
   */
  get(id: string, variant: ThumbVariant, signal?: AbortSignal, urgent = true): Promise<string> {
    const cached = this.peek(id, variant);
    if (cached) return Promise.resolve(cached);
    const key = `${variant}:${id}`;
    return new Promise((resolve, reject) => {
      let entry = this.pending.get(key);
      if (!entry) {
        entry = { key, id, variant, waiters: [], cancelled: false, started: false, prefetch: false };
        this.pending.set(key, entry);
        if (urgent) this.queue.push(entry);
        else this.queue.unshift(entry);
      } else {
        entry.cancelled = false;
        entry.prefetch = false;
        if (!entry.started && urgent) {
          // Move to the front: the most recent request is the one on screen.
          this.queue = this.queue.filter((p) => p !== entry);
          this.queue.push(entry);
        }
      }
      const current = entry;
      const onAbort = () => {
        current.waiters = current.waiters.filter((w) => w !== waiter);
        if (current.waiters.length === 0) current.cancelled = true;
        reject(new DOMException("Thumbnail no longer needed", "AbortError"));
      };
      // Settled requests drop their listener: a later abort then neither runs it nor builds an error.
      const waiter = {
        resolve: (url: string) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(url);
        },
        reject: (error: unknown) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      entry.waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pumpSoon();
    });
  }

  /** A request queued behind others (rendered ahead of the viewport) whose tile is now on screen goes first. */
  promote(id: string, variant: ThumbVariant): void {
    const entry = this.pending.get(`${variant}:${id}`);
    if (!entry || entry.started || this.queue[this.queue.length - 1] === entry) return;
    const at = this.queue.indexOf(entry);
    if (at < 0) return;
    this.queue.splice(at, 1);
    this.queue.push(entry);
  }

  /**
   * Warms the cache for what is about to scroll into view, behind every request a tile is waiting on.
   * The previous prefetch's unstarted entries are dropped: only the latest direction of travel matters.
   */
  prefetch(ids: readonly string[], variant: ThumbVariant): void {
    for (const entry of this.queue) {
      if (entry.prefetch && entry.waiters.length === 0) entry.cancelled = true;
    }
    const fresh: Pending[] = [];
    for (const id of ids) {
      const key = `${variant}:${id}`;
      if (this.urls.has(key)) continue;
      const existing = this.pending.get(key);
      if (existing) {
        if (existing.prefetch) existing.cancelled = false;
        continue;
      }
      const entry: Pending = {
        key,
        id,
        variant,
        waiters: [],
        cancelled: false,
        started: false,
        prefetch: true,
      };
      this.pending.set(key, entry);
      fresh.push(entry);
    }
    // The queue pops from its end: the nearest id goes last into the front so it is fetched first.
    this.queue.unshift(...fresh.reverse());
    this.pump();
  }

  /**
   * Resolves once no tile is waiting on a thumbnail and none is loading (or after `maxMs`): the library load
   * waits on this between sync pages so the screen's thumbnails (and the first screen's prefetch) are not
   * queued behind them at the server. It first gives tiles rendered from the latest snapshot a moment to ask.
   */
  whenIdle(maxMs: number, settleMs = 50): Promise<void> {
    const began = performance.now();
    return new Promise((resolve) => {
      const check = () => {
        const busy =
          this.running > 0 || [...this.pending.values()].some((e) => !e.cancelled && e.waiters.length > 0);
        if (!busy || performance.now() - began >= maxMs) resolve();
        else setTimeout(check, 25);
      };
      setTimeout(check, settleMs);
    });
  }

  private pumpQueued = false;

  /** Tiles that mount together ask one by one: loading at the end of the task lets them share batches. */
  private pumpSoon(): void {
    if (!this.options.loadBatch) {
      this.pump();
      return;
    }
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const entries = this.nextBatch();
      if (entries.length === 0) continue;
      this.running++;
      for (const entry of entries) entry.started = true;
      // A load holds its slot until decrypted: with as many slots as decrypt workers, a fetched thumbnail
      // always finds an idle worker instead of queueing behind another decryption.
      const { loadBatch } = this.options;
      const first = entries[0]!;
      const loaded: Promise<BatchLoaded[]> = loadBatch
        ? loadBatch(
            entries.map((e) => e.id),
            first.variant,
          )
        : this.load(first.id, first.variant).then(
            (value): BatchLoaded[] => [{ ok: true, value }],
            (error: unknown): BatchLoaded[] => [{ ok: false, error }],
          );
      loaded
        .catch((error: unknown) => entries.map((): BatchLoaded => ({ ok: false, error })))
        .then((outcomes) => {
          entries.forEach((entry, i) => {
            this.settle(entry, outcomes[i] ?? { ok: false, error: new Error("The batch left it out") });
          });
        })
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  /**
   * The next entries to load together, nearest first: one without a batch loader; with one, up to `batchMax`
   * of one variant (a grid scrolling asks a row or two at a time: fewer requests matter more than spreading).
   */
  private nextBatch(): Pending[] {
    const { loadBatch, batchMax = 1 } = this.options;
    const size = loadBatch ? batchMax : 1;
    const entries: Pending[] = [];
    while (entries.length < size && this.queue.length > 0) {
      const entry = this.queue[this.queue.length - 1]!;
      if (entries.length > 0 && entry.variant !== entries[0]!.variant) break;
      this.queue.pop();
      if (entry.cancelled) this.pending.delete(entry.key);
      else entries.push(entry);
    }
    return entries;
  }

  private settle(entry: Pending, outcome: BatchLoaded): void {
    this.pending.delete(entry.key);
    try {
      if (!outcome.ok) throw outcome.error;
      const loaded = outcome.value;
      // An upload without a thumbnail stores an empty one; an image of no bytes is a broken image.
      if (loaded.length === 0) throw new NoThumbnailError(entry.id);
      const url = typeof loaded === "string" ? loaded : jpegDataUrl(loaded);
      this.store(entry.key, url);
      for (const w of entry.waiters) w.resolve(url);
    } catch (error) {
      for (const w of entry.waiters) w.reject(error);
    }
  }

  private store(key: string, url: string): void {
    this.urls.set(key, url);
    while (this.urls.size > this.capacity) {
      // A data: URL is only a string: nothing to revoke, and an <img> still showing it keeps its copy.
      this.urls.delete(this.urls.keys().next().value as string);
    }
  }

  clear(): void {
    this.urls.clear();
    this.queue = [];
    this.pending.clear();
  }
}
