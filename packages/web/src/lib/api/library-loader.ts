import {
  type FileMetadata,
  pullChanges,
  type RecordDecryptor,
  type SyncState,
  type UmbraClient,
} from "@umbra/client";
import { type FileRecord, mergeSorted, newestFirst, toLibraryItem } from "../state/library-item.js";
import type { AlbumItem, LibraryItem } from "../state/media-types.js";

/** What the app shows of the library at one moment of a load; `done` once every page is in and decrypted. */
export interface LibrarySnapshot {
  items: LibraryItem[];
  albums: AlbumItem[];
  favoritesId: string | undefined;
  /** Albums the user hid (the sealed checkpoint's say, or this device's last view of it while that loads). */
  hiddenAlbums: ReadonlySet<string>;
  /** Files whose metadata did not decrypt or validate (left out rather than failing the whole library). */
  failed: number;
  done: boolean;
}

function sameIds(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

/** Later sync pages as large as the server allows (fewer round trips); the first small, so it is quick. */
const SYNC_PAGE = 1000;
const FIRST_SYNC_PAGE = 250;
/** About a first screen of tiles on a large display, prefetched once the first page is decrypted. */
const FIRST_SCREEN_GUESS = 36;
/** Items per worker message: small enough that the first screen's batch comes back quickly. */
const BATCH = 250;
/**
 * Snapshots while loading are at most this often, so 10,000 items are not re-sorted on every batch. Each
 * snapshot sorts and lays out the whole library so far, so the interval grows with it: a 100,000-item load
 * is then not a long task every 150 ms.
 */
const EMIT_INTERVAL_MS = 150;
const EMIT_INTERVAL_PER_ITEM_MS = 0.01;

/**
 * Loads the library progressively: each sync page's metadata is decrypted in the worker pool while the next
 * page downloads, and the caller gets a sorted snapshot as batches land, so the first screen does not wait
 * for the whole library. Decrypted metadata is kept for the session (keyed by its ciphertext), so a later
 * refresh only decrypts what changed.
 */
export class LibraryLoader {
  private readonly metadata = new Map<string, { encrypted: string; metadata: FileMetadata }>();
  private readonly items = new Map<string, { record: FileRecord; favoritesId?: string; item: LibraryItem }>();
  /** The last snapshot's items (sorted) and the files decrypted since, for snapshots taken while loading. */
  private order: LibraryItem[] = [];
  private orderFavoritesId: string | undefined;
  private fresh = new Set<string>();
  /** Whether a file is in the trash as the user's devices vouch for it (the SDK's `isTrashed` once loading). */
  private isTrashed: (record: FileRecord) => boolean = (record) => record.trashedAt !== null;

  constructor(
    /** Where the SDK opens each batch of records (the app's worker pools). */
    private readonly decryptor: RecordDecryptor,
    private readonly favoritesName: string,
  ) {}

  /** The decrypted metadata of a record, when this session has already decrypted that exact ciphertext. */
  cachedMetadata(record: FileRecord): FileMetadata | undefined {
    const hit = this.metadata.get(record.id);
    return hit && hit.encrypted === record.encryptedMetadata ? hit.metadata : undefined;
  }

  remember(record: FileRecord, metadata: FileMetadata): void {
    this.metadata.set(record.id, { encrypted: record.encryptedMetadata, metadata });
    this.fresh.add(record.id);
  }

  /** Forgets every decrypted value (on lock and logout). */
  clear(): void {
    this.isTrashed = (record) => record.trashedAt !== null;
    this.metadata.clear();
    this.items.clear();
    this.order = [];
    this.fresh.clear();
  }

  /**
   * `pace` is awaited before each further sync page: the app uses it to let the thumbnails on screen have
   * the server first (one Node process serves both, and a 1,000-record page keeps it busy for a while).
   */
  async load(
    client: UmbraClient,
    onUpdate: (snapshot: LibrarySnapshot) => void,
    pace: () => Promise<void> = () => Promise.resolve(),
    onFirstPage: (newest: readonly string[]) => void = () => {},
  ): Promise<LibrarySnapshot> {
    const library = client.library;
    this.isTrashed = (record) => library.isTrashed(record);
    let state: SyncState | undefined;
    let albums: AlbumItem[] = [];
    let favoritesId: string | undefined;
    let failed = 0;
    const work: Promise<void>[] = [];
    const deferred: FileRecord[] = [];
    let lastEmit = 0;
    let lastCount = 0;
    let emitted = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Nothing is shown before the hidden albums are known: a hidden album's photos never flash by.
    let hiddenKnown = false;
    const known = () => {
      hiddenKnown = true;
      performance.mark("umbra-hidden-albums-known");
    };
    const hiddenRead = library.hiddenAlbumsBeforeSync().then(known, known);

    const snapshot = (done: boolean): LibrarySnapshot => ({
      items: state ? (done ? this.itemsOf(state, favoritesId) : this.itemsSoFar(state, favoritesId)) : [],
      albums,
      favoritesId,
      hiddenAlbums: library.hiddenAlbums(),
      failed,
      done,
    });
    const emitSoon = () => {
      if (timer) return;
      timer = setTimeout(
        () => {
          if (!hiddenKnown) {
            void hiddenRead.then(() => {
              timer = undefined;
              emitSoon();
            });
            return;
          }
          timer = undefined;
          lastEmit = performance.now();
          const next = snapshot(false);
          lastCount = next.items.length;
          // Where a load's first screen spends its time (the web bench reads these marks).
          if (!emitted) performance.mark("umbra-first-snapshot");
          emitted = true;
          onUpdate(next);
        },
        Math.max(0, lastEmit + EMIT_INTERVAL_MS + lastCount * EMIT_INTERVAL_PER_ITEM_MS - performance.now()),
      );
    };
    const refreshAlbums = async () => {
      const entries = await library.albums();
      albums = entries.map((a) => ({ id: a.id, kind: a.kind, name: a.name }));
      favoritesId = entries.find((a) => a.kind === "user" && a.name === this.favoritesName)?.id;
    };

    // The SDK opens each batch (through the decryptor), reports the records it refuses, and caches what it
    // opened for its own calls (file(), the upload path's duplicate index).
    const decrypt = async (records: FileRecord[]) => {
      const { opened, waiting, rejected } = await library.metadataOf(records, this.decryptor);
      for (const record of records) {
        const metadata = opened.get(record.id);
        if (metadata) this.remember(record, metadata);
      }
      deferred.push(...waiting);
      failed += rejected;
      emitSoon();
    };
    /** Files still waiting once the sync is complete are in none of our albums: reported, left out. */
    const rejectUnplaced = () => {
      failed += deferred.length;
      for (const record of deferred.splice(0))
        library.rejected.report(
          record.id,
          "file",
          "it is listed in none of your albums, so its key cannot be opened",
        );
    };
    const queue = (records: FileRecord[]) => {
      const todo = records.filter((r) => !this.cachedMetadata(r));
      for (let i = 0; i < todo.length; i += BATCH) {
        work.push(
          decrypt(todo.slice(i, i + BATCH)).catch((error: unknown) => {
            failed += Math.min(BATCH, todo.length - i);
            console.warn("Umbra: a metadata batch failed", error);
          }),
        );
      }
    };

    let pages = 0;
    const reporting = library.rejected.pullOptions();
    let synced = await pullChanges(client.http, library.syncCache, SYNC_PAGE, {
      ...reporting,
      firstLimit: FIRST_SYNC_PAGE,
      onPage: async (current, page) => {
        // The SDK's own calls (file keys for thumbnails, album changes) use the state as it fills.
        if (pages === 0) performance.mark("umbra-first-sync-page");
        state = current;
        library.state = current;
        if (!page || page.albums.length > 0) work.push(refreshAlbums());
        queue(page ? page.files : Object.values(current.files));
        if (page && page.deleted.files.length > 0) emitSoon();
        if (page?.hasMore) {
          // The first page is shown before the next is asked for, then the screen's thumbnails go first.
          if (pages++ === 0) {
            await Promise.all(work);
            // The newest so far, before the hidden albums are known and the grid exists: their thumbnails
            // load meanwhile (fetching shows nothing; which ones is the same whatever is hidden).
            if (state)
              onFirstPage(
                this.itemsSoFar(state, favoritesId)
                  .slice(0, FIRST_SCREEN_GUESS)
                  .map((i) => i.id),
              );
          }
          await pace();
        }
      },
    });
    state = synced;
    library.state = synced;
    await Promise.all(work);
    if (deferred.length > 0) {
      const retry = deferred.filter((r) => synced.files[r.id] === r);
      deferred.length = 0;
      work.length = 0;
      queue(retry);
      await Promise.all(work);
      rejectUnplaced();
    }
    await refreshAlbums();
    await hiddenRead;
    clearTimeout(timer);
    let final = snapshot(true);
    onUpdate(final);
    // After the final snapshot (the timeline does not wait for it): the synced state against the sealed library
    // checkpoint. Differences are warned about by the SDK; the trash state it vouches for may move files.
    let rechecked = false;
    const found = await library
      .verifyState(synced, async () => {
        rechecked = true;
        synced = await pullChanges(client.http, library.syncCache, SYNC_PAGE, reporting);
        state = synced;
        library.state = synced;
        return synced;
      })
      .catch((error: unknown) => {
        console.warn("Umbra: the library could not be checked against its checkpoint", error);
        return undefined;
      });
    // The checkpoint just read may vouch for another trash state than the one before it (another device trashed
    // or restored a file since the last load): those items move.
    const trashMoved = final.items.some((item) => {
      const record = synced.files[item.id];
      return record !== undefined && (item.trashedAt !== null) !== this.isTrashed(record);
    });
    const hiddenMoved = !sameIds(final.hiddenAlbums, library.hiddenAlbums());
    if (rechecked || trashMoved || hiddenMoved || (found && found.trash.length > 0)) {
      if (rechecked) {
        work.length = 0;
        queue(Object.values(synced.files));
        await Promise.all(work);
        rejectUnplaced();
        await refreshAlbums();
      }
      final = snapshot(true);
      onUpdate(final);
    }
    return final;
  }

  /** Every decrypted file of the state, newest first; unchanged records keep their item object. */
  private itemsOf(state: SyncState, favoritesId: string | undefined): LibraryItem[] {
    const out: LibraryItem[] = [];
    for (const record of Object.values(state.files)) {
      const item = this.itemOf(record, favoritesId);
      if (item) out.push(item);
    }
    return this.ordered(out.sort(newestFirst), favoritesId);
  }

  /**
   * The same list while loading, from the last snapshot: its unchanged items stay in order and only the files
   * decrypted (or changed) since are sorted and merged in. Re-sorting 100,000 items per snapshot made each
   * one a long task; the final snapshot is rebuilt whole (`itemsOf`).
   */
  private itemsSoFar(state: SyncState, favoritesId: string | undefined): LibraryItem[] {
    if (favoritesId !== this.orderFavoritesId) return this.itemsOf(state, favoritesId);
    const kept: LibraryItem[] = [];
    const added: LibraryItem[] = [];
    for (const previous of this.order) {
      if (this.fresh.has(previous.id)) continue;
      const record = state.files[previous.id];
      const item = record && this.itemOf(record, favoritesId);
      if (item === previous) kept.push(item);
      else if (item) added.push(item);
    }
    for (const id of this.fresh) {
      const record = state.files[id];
      const item = record && this.itemOf(record, favoritesId);
      if (item) added.push(item);
    }
    return this.ordered(mergeSorted(kept, added.sort(newestFirst), newestFirst), favoritesId);
  }

  private ordered(items: LibraryItem[], favoritesId: string | undefined): LibraryItem[] {
    this.order = items;
    this.orderFavoritesId = favoritesId;
    this.fresh.clear();
    return items;
  }

  private itemOf(record: FileRecord, favoritesId: string | undefined): LibraryItem | undefined {
    const metadata = this.cachedMetadata(record);
    if (!metadata) return undefined;
    const trashed = this.isTrashed(record);
    const hit = this.items.get(record.id);
    if (
      hit &&
      hit.record === record &&
      hit.favoritesId === favoritesId &&
      hit.item.meta === metadata &&
      (hit.item.trashedAt !== null) === trashed
    ) {
      return hit.item;
    }
    const item = toLibraryItem(record, metadata, favoritesId, trashed);
    this.items.set(record.id, { record, favoritesId, item });
    return item;
  }
}
