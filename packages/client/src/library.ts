import {
  type AlbumRecord,
  AlbumRecord as AlbumRecordSchema,
  EmptyTrashResponse,
  type FileRecord,
  FileRecord as FileRecordSchema,
} from "@umbra/protocol";
import { AlbumKeyRing } from "./album-keys.js";
import { UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import { newId } from "./ids.js";
import {
  decryptAlbumNameFor,
  decryptFileMetadata,
  encryptAlbumNameFor,
  encryptFileMetadata,
  newAlbumKeys,
  openAlbumKeyFor,
  unwrapFileKeyFor,
  wrapAlbumKeyFor,
  wrapFileKeyFor,
} from "./keys.js";
import {
  type CheckpointChange,
  checkpointChanges,
  LibraryCheckpoint,
  type LibraryDiscrepancies,
  metadataDigest,
} from "./library-checkpoint.js";
import { FileMetadata } from "./metadata.js";
import { SeenState } from "./seen-state.js";
import type { KeyValueStore } from "./store.js";
import { pullChanges, type SyncState, type SyncStateCache, storedSyncState } from "./sync-cache.js";
import { Warnings } from "./warnings.js";

export interface FileEntry {
  id: string;
  record: FileRecord;
  metadata: FileMetadata;
  albumIds: string[];
  trashed: boolean;
}

export interface AlbumEntry {
  id: string;
  kind: "library" | "user";
  name: string;
  record: AlbumRecord;
}

/** The longest a remembered change waits before the cache is saved. */
const MAX_SAVE_SPACING_MS = 5_000;

/** The unlocked view of a user's records: decrypts names and metadata, changes them on the server. */
export class Library {
  state: SyncState | undefined;
  readonly keyRing: AlbumKeyRing;
  private readonly albumKeys = new Map<string, { wrapped: string; key: Uint8Array }>();
  private readonly metadataCache = new Map<string, { encrypted: string; metadata: FileMetadata }>();

  readonly seen: SeenState;

  constructor(
    private readonly http: HttpTransport,
    store: KeyValueStore,
    readonly userId: string,
    private readonly masterKey: Uint8Array,
    /** Where the state waits between syncs (a caller pulling changes itself passes this to pullChanges). */
    readonly syncCache: SyncStateCache = storedSyncState(store),
    readonly warnings: Warnings = new Warnings(),
  ) {
    this.keyRing = new AlbumKeyRing(http);
    this.seen = new SeenState(store, warnings);
    this.checkpoint = new LibraryCheckpoint(http, userId, masterKey, this.seen, warnings);
  }

  /** The library state the user's devices vouch for (SPEC §15): checked after each sync, updated on each change. */
  readonly checkpoint: LibraryCheckpoint;
  /** Trash state per file as the checkpoint records it (the user's doing, not the server's say). */
  private vouchedTrash = new Map<string, boolean>();
  /** What the last check found (empty lists when the server's view matched). */
  discrepancies: LibraryDiscrepancies | undefined;

  /**
   * Compares a synced state with the checkpoint (creating the first one on first use). A difference is checked
   * once more after a fresh pull (another device may be between its change and its checkpoint) before it is
   * reported. Album key versions the checkpoint vouches for become floors (KEY_ROLLBACK below them).
   */
  async verifyState(state: SyncState, recheck?: () => Promise<SyncState>): Promise<LibraryDiscrepancies> {
    let result: Awaited<ReturnType<LibraryCheckpoint["verify"]>>;
    try {
      result = await this.checkpoint.verify(state, { warn: recheck === undefined });
      const differs = Object.values(result.found).some((ids) => ids.length > 0);
      if (differs && recheck) result = await this.checkpoint.verify(await recheck(), { warn: true });
    } catch (error) {
      // A checkpoint that goes back or fails to open is itself the finding: warned about, the library stays usable.
      const code = (error as { code?: string }).code;
      if (code !== "SYNC_ROLLBACK" && code !== "TAMPERED" && code !== "INVALID_RESPONSE") throw error;
      if (code !== "SYNC_ROLLBACK") {
        this.warnings.emit({
          code: "LIBRARY_MISMATCH",
          message: `The server's copy of your library checkpoint fails verification: ${(error as Error).message}`,
        });
      }
      const none = { hidden: [], unexpected: [], changed: [], trash: [], placements: [], albums: [] };
      this.discrepancies = none;
      return none;
    }
    for (const [albumId, version] of Object.entries(this.checkpoint.albumFloors()))
      await this.seen.raiseAlbumKeyVersion(albumId, version);
    this.vouchedTrash = new Map(
      Object.entries(result.body?.files ?? {}).map(([id, entry]) => [id, entry[1] > 0]),
    );
    this.discrepancies = result.found;
    return result.found;
  }

  /**
   * The user confirms that the library as the server lists it now is theirs (after reviewing a LIBRARY_MISMATCH
   * warning): it becomes the checkpoint. Never called without the user asking.
   */
  async acceptCurrentState(): Promise<void> {
    const state = await this.pull();
    this.state = state;
    await this.checkpoint.adopt(state);
    await this.verifyState(state);
  }

  /** Whether a file is in the trash: as the checkpoint says when it knows the file, else as the server says. */
  isTrashed(record: FileRecord): boolean {
    return this.vouchedTrash.get(record.id) ?? record.trashedAt !== null;
  }

  /** Records a change of ours in the checkpoint and saves it. */
  private async vouch(...changes: CheckpointChange[]): Promise<void> {
    for (const change of changes) this.checkpoint.record(change);
    await this.checkpoint.save();
  }

  async sync(): Promise<SyncState> {
    this.state = await this.pull();
    await this.verifyState(this.state, async () => {
      this.state = await this.pull();
      return this.state;
    });
    return this.state;
  }

  private pull(): Promise<SyncState> {
    return pullChanges(this.http, this.syncCache, 500, {
      onCursorBack: (served, kept) =>
        this.warnings.emit({
          code: "SYNC_ROLLBACK",
          message: `The server moved the sync cursor back (${served} after ${kept}); this device kept its place.`,
        }),
      onInvalidRecord: (id, reason) =>
        this.warnings.emit({
          code: "RECORD_REJECTED",
          message: `The server sent a malformed record ${id}, which is not shown: ${reason}`,
          subject: id,
        }),
    });
  }

  private async current(): Promise<SyncState> {
    return this.state ?? (await this.sync());
  }

  /**
   * The album's current key (cached per wrapped value, so a rotation made elsewhere is picked up on sync). Its
   * version may never be lower than one this device has seen (KEY_ROLLBACK), and from version 2 on the wrap
   * must be bound to it (a legacy wrap is trusted once, then re-wrapped).
   */
  async albumKey(albumId: string): Promise<Uint8Array> {
    const album = (await this.current()).albums[albumId];
    if (!album) throw new UmbraClientError("NOT_FOUND", `No album ${albumId}`);
    const version = album.keyVersion ?? 1;
    await this.seen.albumKeyVersion(albumId, version);
    const cached = this.albumKeys.get(albumId);
    if (cached && cached.wrapped === album.wrappedAlbumKey) return cached.key;
    const { key, legacy } = await openAlbumKeyFor(
      this.masterKey,
      this.userId,
      album.id,
      album.wrappedAlbumKey,
      version,
    );
    if (legacy) await this.bindLegacyWrap(album, key);
    else if (version > 1) await this.seen.markBoundWrap(albumId);
    this.albumKeys.set(albumId, { wrapped: album.wrappedAlbumKey, key });
    return key;
  }

  /**
   * A rotated album wrapped before key versions were bound into the wrap: accepted only on a device that never
   * saw it bound, and only if the key opens the chain link one version below (a key of another version cannot),
   * then re-wrapped in the bound form.
   */
  private async bindLegacyWrap(album: AlbumRecord, key: Uint8Array): Promise<void> {
    const version = album.keyVersion ?? 1;
    if (await this.seen.boundWrapSeen(album.id)) {
      throw new UmbraClientError(
        "TAMPERED",
        `Album ${album.id}'s key is served in an old form this device saw replaced: refused`,
      );
    }
    this.keyRing.set(album.id, version, key);
    await this.keyRing.get(album.id, version - 1);
    const updated = await this.http.json(`/api/albums/${album.id}/wrapped-key`, AlbumRecordSchema, {
      method: "PUT",
      body: {
        keyVersion: version,
        wrappedAlbumKey: await wrapAlbumKeyFor(this.masterKey, this.userId, album.id, key, version),
      },
    });
    await this.seen.markBoundWrap(album.id);
    await this.remember(updated);
  }

  /** The album key of `version`: the current one, or an older one down the album's key chain. */
  async albumKeyAt(albumId: string, version: number): Promise<Uint8Array> {
    const album = (await this.current()).albums[albumId];
    const currentVersion = album?.keyVersion ?? 1;
    const current = await this.albumKey(albumId);
    if (version === currentVersion) return current;
    this.keyRing.set(albumId, currentVersion, current);
    return this.keyRing.get(albumId, version);
  }

  /** The file key, unwrapped through one of the file's albums (each holds its own wrapping), unrotated first. */
  async fileKey(record: FileRecord): Promise<Uint8Array> {
    const state = await this.current();
    const entry =
      record.albums.find((a) => (a.keyVersion ?? 1) === (state.albums[a.albumId]?.keyVersion ?? 1)) ??
      record.albums[0];
    if (!entry) throw new UmbraClientError("INVALID_RESPONSE", `File ${record.id} is in no album`);
    return unwrapFileKeyFor(
      await this.albumKeyAt(entry.albumId, entry.keyVersion ?? 1),
      entry.albumId,
      record.id,
      entry.wrappedFileKey,
    );
  }

  /** Metadata a caller decrypted elsewhere (the web app's workers) for this exact record, so it is not redone. */
  rememberMetadata(record: FileRecord, metadata: FileMetadata): void {
    const parsed = FileMetadata.safeParse(metadata);
    if (parsed.success)
      this.metadataCache.set(record.id, { encrypted: record.encryptedMetadata, metadata: parsed.data });
  }

  async metadata(record: FileRecord): Promise<FileMetadata> {
    const cached = this.metadataCache.get(record.id);
    if (cached && cached.encrypted === record.encryptedMetadata) return cached.metadata;
    const metadata = await decryptFileMetadata(
      await this.fileKey(record),
      record.id,
      record.encryptedMetadata,
    );
    this.metadataCache.set(record.id, { encrypted: record.encryptedMetadata, metadata });
    return metadata;
  }

  /** Our albums; one whose key or name fails authentication is skipped and reported (RECORD_REJECTED). */
  async albums(): Promise<AlbumEntry[]> {
    const state = await this.current();
    const out: AlbumEntry[] = [];
    for (const record of Object.values(state.albums)) {
      try {
        const name = await decryptAlbumNameFor(
          await this.albumKey(record.id),
          record.id,
          record.encryptedName,
        );
        out.push({ id: record.id, kind: record.kind, name, record });
      } catch (error) {
        this.reject(record.id, "album", error);
      }
    }
    return out.sort((a, b) =>
      a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "library" ? -1 : 1,
    );
  }

  /** Records that failed authentication, by id (the rest of the library works without them). */
  readonly rejected = new Map<string, string>();

  /** Skips a record that fails authentication: reported, never shown, never fatal to the rest. */
  private reject(id: string, what: "file" | "album", error: unknown): void {
    // Only authentication and validation failures are the record's fault; a network error is the caller's.
    const code = (error as { code?: string }).code;
    if (code === "NETWORK" || code === "UNAUTHORIZED" || code === "LOCKED") throw error;
    const reason = (error as Error).message;
    this.rejected.set(id, reason);
    this.warnings.emit({
      code: "RECORD_REJECTED",
      message: `The server sent ${what} ${id}, which failed verification and is not shown: ${reason}`,
      subject: id,
    });
  }

  async libraryAlbumId(): Promise<string> {
    const library = Object.values((await this.current()).albums).find((a) => a.kind === "library");
    if (!library) throw new UmbraClientError("NOT_FOUND", "The account has no library album");
    return library.id;
  }

  /** An album by name (case-sensitive, then case-insensitive); the library answers to "Library". */
  async findAlbum(name: string): Promise<AlbumEntry | undefined> {
    const albums = await this.albums();
    return (
      albums.find((a) => a.name === name) ?? albums.find((a) => a.name.toLowerCase() === name.toLowerCase())
    );
  }

  async files(options: { albumId?: string; trashed?: boolean } = {}): Promise<FileEntry[]> {
    const state = await this.current();
    const out: FileEntry[] = [];
    for (const record of Object.values(state.files)) {
      const trashed = this.isTrashed(record);
      if (options.trashed !== undefined && trashed !== options.trashed) continue;
      const albumIds = record.albums.map((a) => a.albumId);
      if (options.albumId && !albumIds.includes(options.albumId)) continue;
      let metadata: FileMetadata;
      try {
        metadata = await this.metadata(record);
      } catch (error) {
        this.reject(record.id, "file", error);
        continue;
      }
      out.push({ id: record.id, record, metadata, albumIds, trashed });
    }
    return out.sort(
      (a, b) =>
        (a.metadata.takenAt ?? a.record.createdAt).localeCompare(b.metadata.takenAt ?? b.record.createdAt) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  async file(id: string): Promise<FileEntry> {
    const state = await this.current();
    const record = state.files[id] ?? (await this.refreshFile(id));
    return {
      id,
      record,
      metadata: await this.metadata(record),
      albumIds: record.albums.map((a) => a.albumId),
      trashed: this.isTrashed(record),
    };
  }

  private async refreshFile(id: string): Promise<FileRecord> {
    const record = await this.http.json(`/api/files/${encodeURIComponent(id)}`, FileRecordSchema);
    await this.remember(record);
    return record;
  }

  /**
   * Records a server answer in the local cache, so the next listing shows it without a sync. The cache is
   * saved shortly after, not before this resolves (see `scheduleSave`); `flush` waits for that save.
   */
  async remember(record: FileRecord | AlbumRecord): Promise<void> {
    const state = await this.current();
    if (record.id.startsWith("f_")) state.files[record.id] = record as FileRecord;
    else state.albums[record.id] = record as AlbumRecord;
    this.scheduleSave();
  }

  /** A save waiting to start: it takes every change made until it starts. */
  private scheduledSave: Promise<void> | undefined;
  /** The save writing now (never rejects: a failure is kept in `saveError`). */
  private runningSave: Promise<void> | undefined;
  private lastSaveMs = 0;
  private saveError: unknown;

  /**
   * Saves the cache once for a burst of changes. A save serializes the whole library (one value in the
   * store), so saves are spaced by three times the last one's duration: saving takes at most a quarter of the
   * time however large the library grows. Saving once per uploaded file made a 50,000-item library upload
   * at a few files a second. Losing a save loses nothing: the records come back with the next sync.
   */
  private scheduleSave(): void {
    if (this.scheduledSave) return;
    const delay = Math.min(MAX_SAVE_SPACING_MS, this.lastSaveMs * 3);
    this.scheduledSave = (async () => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      await this.runningSave;
      this.scheduledSave = undefined;
      const run = this.saveNow().catch((error: unknown) => {
        this.saveError = error;
      });
      this.runningSave = run;
      await run;
      if (this.runningSave === run) this.runningSave = undefined;
    })();
  }

  private async saveNow(): Promise<void> {
    if (!this.state) return;
    const began = performance.now();
    await this.syncCache.save(this.state);
    this.lastSaveMs = performance.now() - began;
  }

  /** Waits until every remembered change is saved (the checkpoint too); throws if a save failed. */
  async flush(): Promise<void> {
    await this.checkpoint.save();
    for (
      let next = this.scheduledSave ?? this.runningSave;
      next;
      next = this.scheduledSave ?? this.runningSave
    )
      await next;
    const error = this.saveError;
    this.saveError = undefined;
    if (error !== undefined) throw error;
  }

  async createAlbum(name: string): Promise<AlbumEntry> {
    const id = newId("a");
    const keys = await newAlbumKeys(this.masterKey, this.userId, id, name);
    const record = await this.http.json("/api/albums", AlbumRecordSchema, {
      body: { id, encryptedName: keys.encryptedName, wrappedAlbumKey: keys.wrappedAlbumKey },
    });
    this.albumKeys.set(id, { wrapped: keys.wrappedAlbumKey, key: keys.albumKey });
    await this.remember(record);
    await this.vouch(checkpointChanges.albumSet(id, 1));
    return { id, kind: record.kind, name, record };
  }

  async renameAlbum(albumId: string, name: string): Promise<void> {
    const encryptedName = await encryptAlbumNameFor(await this.albumKey(albumId), albumId, name);
    const record = await this.http.json(`/api/albums/${albumId}`, AlbumRecordSchema, {
      method: "PATCH",
      body: { encryptedName },
    });
    await this.remember(record);
  }

  /**
   * Deletes an album; files that were only in it go to the trash. They are first added to the library, because a
   * file key wrapped only by the deleted album's key would be lost with it (the trash could not restore them).
   */
  async deleteAlbum(albumId: string): Promise<void> {
    const state = await this.sync();
    const libraryId = await this.libraryAlbumId();
    const onlyHere = Object.values(state.files).filter(
      (f) => f.albums.length === 1 && f.albums[0]!.albumId === albumId,
    );
    for (const file of onlyHere) await this.addToAlbum(file.id, libraryId);
    await this.http.json(`/api/albums/${albumId}`, null, { method: "DELETE" });
    await this.vouch(checkpointChanges.albumDeleted(albumId));
    for (const file of onlyHere) if (file.trashedAt === null) await this.trash(file.id);
    await this.sync();
  }

  async addToAlbum(fileId: string, albumId: string): Promise<void> {
    const { record } = await this.file(fileId);
    const fileKey = await this.fileKey(record);
    const wrappedFileKey = await wrapFileKeyFor(await this.albumKey(albumId), albumId, fileId, fileKey);
    await this.http.json(`/api/albums/${albumId}/files/${fileId}`, null, {
      method: "PUT",
      body: { wrappedFileKey },
    });
    await this.vouch(checkpointChanges.placed(fileId, albumId));
    await this.refreshFile(fileId);
    await this.onPlaced?.(albumId, fileId);
  }

  /** Called after a file is added to one of our albums (the SDK signs the placement when the album is shared). */
  onPlaced: ((albumId: string, fileId: string) => Promise<void>) | undefined;

  async removeFromAlbum(fileId: string, albumId: string): Promise<void> {
    await this.http.json(`/api/albums/${albumId}/files/${fileId}`, null, { method: "DELETE" });
    await this.vouch(checkpointChanges.unplaced(fileId, albumId));
    await this.refreshFile(fileId);
  }

  /** Move = add to the target with a re-wrapped file key, then remove from the source. */
  async moveFile(fileId: string, fromAlbumId: string, toAlbumId: string): Promise<void> {
    if (fromAlbumId === toAlbumId) return;
    const { albumIds } = await this.file(fileId);
    if (!albumIds.includes(toAlbumId)) await this.addToAlbum(fileId, toAlbumId);
    if (albumIds.includes(fromAlbumId)) await this.removeFromAlbum(fileId, fromAlbumId);
  }

  /** Rename: the metadata is re-encrypted with a new name; the content is untouched. */
  async renameFile(fileId: string, name: string): Promise<void> {
    const { record, metadata } = await this.file(fileId);
    const encryptedMetadata = await encryptFileMetadata(await this.fileKey(record), fileId, {
      ...metadata,
      name,
    });
    const updated = await this.http.json(`/api/files/${fileId}`, FileRecordSchema, {
      method: "PATCH",
      body: { encryptedMetadata },
    });
    await this.vouch(checkpointChanges.metadataChanged(fileId, await metadataDigest(encryptedMetadata)));
    await this.remember(updated);
  }

  async trash(fileId: string): Promise<void> {
    const record = await this.http.json(`/api/files/${fileId}/trash`, FileRecordSchema, { method: "POST" });
    this.vouchedTrash.set(fileId, true);
    await this.vouch(checkpointChanges.trashed(fileId, Date.now()));
    await this.remember(record);
  }

  async restore(fileId: string): Promise<void> {
    const record = await this.http.json(`/api/files/${fileId}/restore`, FileRecordSchema, { method: "POST" });
    this.vouchedTrash.set(fileId, false);
    await this.vouch(checkpointChanges.restored(fileId));
    await this.remember(record);
  }

  async emptyTrash(): Promise<number> {
    const { deleted } = await this.http.json("/api/trash/empty", EmptyTrashResponse, { method: "POST" });
    await this.vouch(checkpointChanges.trashEmptied());
    await this.sync();
    return deleted;
  }

  async deletePermanently(fileId: string): Promise<void> {
    await this.http.json(`/api/files/${fileId}`, null, { method: "DELETE" });
    await this.vouch(checkpointChanges.deleted(fileId));
    await this.sync();
  }

  /** Records a file this device just committed (the uploader calls it; saved with the next flush). */
  async vouchForUpload(fileId: string, encryptedMetadata: string, albumId: string): Promise<void> {
    this.checkpoint.record(
      checkpointChanges.fileAdded(fileId, await metadataDigest(encryptedMetadata), albumId),
    );
  }
}
