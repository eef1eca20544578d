import { AlbumRecord, FileRecord, SyncResponse } from "@umbra/protocol";
import { z } from "zod";
import { InvalidResponseError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import type { KeyValueStore } from "./store.js";

/** The local mirror of the user's records, kept current with GET /api/sync. */
export interface SyncState {
  cursor: string;
  files: Record<string, FileRecord>;
  albums: Record<string, AlbumRecord>;
}

const CachedState = z.object({
  cursor: z.string(),
  files: z.record(z.string(), z.unknown()),
  albums: z.record(z.string(), z.unknown()),
});

const KEY = "sync-state";

export function emptySyncState(): SyncState {
  return { cursor: "0", files: {}, albums: {} };
}

export async function loadSyncState(store: KeyValueStore): Promise<SyncState> {
  const raw = await store.get(KEY);
  if (!raw) return emptySyncState();
  const parsed = CachedState.safeParse(JSON.parse(raw));
  // A cache that does not parse is rebuilt from scratch rather than trusted.
  return parsed.success ? (parsed.data as SyncState) : emptySyncState();
}

export async function saveSyncState(store: KeyValueStore, state: SyncState): Promise<void> {
  await store.set(KEY, JSON.stringify(state));
}

/** Where a user's sync state waits between syncs. */
export interface SyncStateCache {
  load(): Promise<SyncState>;
  save(state: SyncState): Promise<void>;
}

/** The state as one JSON value in the user's store: what the CLI keeps on disk between runs. */
export function storedSyncState(store: KeyValueStore): SyncStateCache {
  return { load: () => loadSyncState(store), save: (state) => saveSyncState(store, state) };
}

/**
 * The state kept as objects and never serialized, for a session that keeps nothing behind (the web app): with
 * 100,000 files each JSON round trip of the state held a page's main thread for most of a second.
 */
export class MemorySyncState implements SyncStateCache {
  private state = emptySyncState();
  /** A shallow copy: a sync applies its pages to it while callers may still hold the previous state. */
  async load(): Promise<SyncState> {
    const { cursor, files, albums } = this.state;
    return { cursor, files: { ...files }, albums: { ...albums } };
  }
  async save(state: SyncState): Promise<void> {
    this.state = state;
  }
}

function isSyncStateCache(target: KeyValueStore | SyncStateCache): target is SyncStateCache {
  return typeof (target as SyncStateCache).load === "function";
}

/**
 * Applies one page of changes: newer records replace older ones; tombstones remove them. The cursor never goes
 * back (a lower one from the server is ignored); returns false when the server tried.
 */
export function applySyncPage(state: SyncState, page: SyncResponse): boolean {
  for (const file of page.files) {
    const old = state.files[file.id];
    if (!old || old.seq <= file.seq) state.files[file.id] = file;
  }
  for (const album of page.albums) {
    const old = state.albums[album.id];
    if (!old || old.seq <= album.seq) state.albums[album.id] = album;
  }
  for (const id of page.deleted.files) delete state.files[id];
  for (const id of page.deleted.albums) delete state.albums[id];
  if (!/^\d{1,15}$/.test(page.cursor)) throw new InvalidResponseError("The sync cursor is not a number");
  if (BigInt(page.cursor) < BigInt(state.cursor)) return false;
  state.cursor = page.cursor;
  return true;
}

/**
 * Called with the state loaded from the cache (page `null`), then after each page is applied, so a caller
 * can show a large library as it arrives instead of after the last page. The next page is requested once
 * a returned promise settles, which lets a caller give the network to something more urgent first.
 */
export type SyncPageListener = (state: SyncState, page: SyncResponse | null) => void | Promise<void>;

export interface PullOptions {
  onPage?: SyncPageListener;
  /** A smaller first page gets the newest records to the caller sooner; later pages use `limit`. */
  firstLimit?: number;
  /** The server answered with a cursor lower than the one asked from (ignored; the pull stops there). */
  onCursorBack?: (served: string, kept: string) => void;
  /** A record in a page that is not a valid record (skipped; the rest of the page applies). */
  onInvalidRecord?: (id: string, reason: string) => void;
}

/** A page whose records are checked one by one, so one malformed record cannot fail the whole sync. */
const LenientSyncPage = SyncResponse.extend({
  files: z.array(z.unknown()),
  albums: z.array(z.unknown()),
});

function validRecords<T>(
  items: unknown[],
  schema: z.ZodType<T>,
  onInvalid: PullOptions["onInvalidRecord"],
): T[] {
  const out: T[] = [];
  for (const item of items) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else {
      const id = typeof (item as { id?: unknown })?.id === "string" ? (item as { id: string }).id : "?";
      onInvalid?.(id, parsed.error.issues[0]?.message ?? "malformed");
    }
  }
  return out;
}

/** Pulls every change since the cached cursor, then saves the cache once. */
export async function pullChanges(
  http: HttpTransport,
  target: KeyValueStore | SyncStateCache,
  limit = 500,
  options: PullOptions = {},
): Promise<SyncState> {
  const cache = isSyncStateCache(target) ? target : storedSyncState(target);
  const state = await cache.load();
  await options.onPage?.(state, null);
  for (let pageLimit = options.firstLimit ?? limit; ; pageLimit = limit) {
    const lenient = await http.json(
      `/api/sync?since=${encodeURIComponent(state.cursor)}&limit=${pageLimit}`,
      LenientSyncPage,
    );
    const page: SyncResponse = {
      ...lenient,
      files: validRecords(lenient.files, FileRecord, options.onInvalidRecord),
      albums: validRecords(lenient.albums, AlbumRecord, options.onInvalidRecord),
    };
    const kept = state.cursor;
    if (!applySyncPage(state, page)) {
      options.onCursorBack?.(page.cursor, kept);
      break;
    }
    await options.onPage?.(state, page);
    if (!page.hasMore) break;
  }
  await cache.save(state);
  return state;
}
