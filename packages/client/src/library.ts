import {
  type AlbumRecord,
  AlbumRecord as AlbumRecordSchema,
  EmptyTrashResponse,
  type FileRecord,
  FileRecord as FileRecordSchema,
} from "@umbra/protocol";
import { AlbumKeyRing } from "./album-keys.js";
import {
  type CheckpointChange,
  checkpointChanges,
  type LibraryDiscrepancies,
  metadataDigest,
} from "./checkpoint-body.js";
import { UmbraClientError } from "./errors.js";
import { HiddenAlbums } from "./hidden-albums.js";
import type { HttpTransport } from "./http.js";
import { newId } from "./ids.js";
import {
  decryptAlbumNameFor,
  encryptAlbumNameFor,
  encryptFileMetadata,
  newAlbumKeys,
  unwrapFileKeyFor,
  wrapFileKeyFor,
} from "./keys.js";
import { LibraryCheckpoint } from "./library-checkpoint.js";
import { LibraryMetadata, type MetadataBatch, openingEntry } from "./library-metadata.js";
import { FileMetadata, type MetadataEdit } from "./metadata.js";
import { OwnAlbumKeys } from "./own-album-keys.js";
import { inThreadDecryptor, type RecordDecryptor } from "./record-decrypt.js";
import { isRecordFault, RejectedRecords } from "./rejected-records.js";
import { SeenState } from "./seen-state.js";
import { SpacedSave } from "./spaced-save.js";
import type { KeyValueStore } from "./store.js";
import { pullChanges, type SyncState, type SyncStateCache, storedSyncState } from "./sync-cache.js";
import { Warnings } from "./warnings.js";

export type { MetadataBatch } from "./library-metadata.js";

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

/** The unlocked view of a user's records: decrypts names and metadata, changes them on the server. */
export class Library {
  state: SyncState | undefined;
  readonly keyRing: AlbumKeyRing;

  readonly seen: SeenState;
  /** Losing a save loses nothing: the records come back with the next sync. */
  private readonly saves = new SpacedSave(async () => {
    if (this.state) await this.syncCache.save(this.state);
  });

  constructor(
    private readonly http: HttpTransport,
    store: KeyValueStore,
    readonly userId: string,
    private readonly masterKey: Uint8Array,
    /** Where the state waits between syncs (a caller pulling changes itself passes this to pullChanges). */
    readonly syncCache: SyncStateCache = storedSyncState(store),
    readonly warnings: Warnings = new Warnings(),
    /** Where batches of metadata and thumbnails are opened (`metadataOf`, thumbnails): in this thread by default. */
    readonly decryptor: RecordDecryptor = inThreadDecryptor,
    /** Called after a file is added to one of our albums (the SDK signs the placement when the album is shared). */
    private readonly onPlaced?: (albumId: string, fileId: string) => Promise<void>,
  ) {
    this.keyRing = new AlbumKeyRing(http);
    this.seen = new SeenState(store, warnings);
    this.checkpoint = new LibraryCheckpoint(http, userId, masterKey, this.seen, warnings);
    this.hidden = new HiddenAlbums(this.checkpoint, store);
    this.rejected = new RejectedRecords(warnings);
    this.opened = new LibraryMetadata(
      {
        current: () => this.current(),
        albumKeyAt: (albumId, version) => this.albumKeyAt(albumId, version),
        rejected: this.rejected,
        digested: (fileId, encrypted, digest) => this.checkpoint.digested(fileId, encrypted, digest),
      },
      decryptor,
    );
    this.ownKeys = new OwnAlbumKeys(http, userId, masterKey, this.seen, this.keyRing, (record) =>
      this.remember(record),
    );
  }

  private readonly ownKeys: OwnAlbumKeys;
  private readonly hidden: HiddenAlbums;
  /** Decrypted metadata by record, and the opening of more. */
  private readonly opened: LibraryMetadata;

  /** The library state the user's devices vouch for (SPEC §15): checked after each sync, updated on each change. */
  readonly checkpoint: LibraryCheckpoint;
  /** What the last check against the checkpoint found (empty lists when the server's view matched). */
  get discrepancies(): LibraryDiscrepancies | undefined {
    return this.checkpoint.discrepancies;
  }

  /** Compares a synced state with the checkpoint (see `LibraryCheckpoint.check`). */
  async verifyState(state: SyncState, recheck?: () => Promise<SyncState>): Promise<LibraryDiscrepancies> {
    const found = await this.checkpoint.check(state, recheck);
    await this.hidden.remember();
    return found;
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
    return this.checkpoint.isTrashed(record);
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
    return pullChanges(this.http, this.syncCache, 500, this.rejected.pullOptions());
  }

  private async current(): Promise<SyncState> {
    return this.state ?? (await this.sync());
  }

  /** The album's current key, checked as `OwnAlbumKeys` says (version floor, version-bound wrap). */
  async albumKey(albumId: string): Promise<Uint8Array> {
    const album = (await this.current()).albums[albumId];
    if (!album) throw new UmbraClientError("NOT_FOUND", `No album ${albumId}`);
    return this.ownKeys.open(album);
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
    const entry = openingEntry(record, state) ?? record.albums[0];
    if (!entry) throw new UmbraClientError("INVALID_RESPONSE", `File ${record.id} is in no album`);
    return unwrapFileKeyFor(
      await this.albumKeyAt(entry.albumId, entry.keyVersion ?? 1),
      entry.albumId,
      record.id,
      entry.wrappedFileKey,
    );
  }

  /** Metadata a caller decrypted elsewhere for this exact record, so it is not redone (checked first). */
  rememberMetadata(record: FileRecord, metadata: FileMetadata): void {
    this.opened.remember(record, metadata);
  }

  /** The metadata of this exact record when it was opened before (by `metadata` or `metadataOf`). */
  cachedMetadata(record: FileRecord): FileMetadata | undefined {
    return this.opened.cached(record);
  }

  metadata(record: FileRecord): Promise<FileMetadata> {
    return this.opened.open(record);
  }

  /** Many records' metadata in one call through the decryptor (see `LibraryMetadata.openMany`). */
  metadataOf(records: readonly FileRecord[], decryptor = this.decryptor): Promise<MetadataBatch> {
    return this.opened.openMany(records, decryptor);
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

  /** Records that failed verification, by id (the rest of the library works without them). */
  readonly rejected: RejectedRecords;

  /** Skips a record that fails authentication: reported, never shown, never fatal to the rest. */
  private reject(id: string, what: "file" | "album", error: unknown): void {
    if (!isRecordFault(error)) throw error;
    this.rejected.report(id, what, (error as Error).message);
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
    // A live recording's cached record is out of date as soon as it is finished (size, thumbnails): ask again.
    const cached = state.files[id];
    const record = cached && !cached.live ? cached : await this.refreshFile(id);
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
   * saved shortly after, not before this resolves (spaced: `SpacedSave`); `flush` waits for that save.
   */
  async remember(record: FileRecord | AlbumRecord): Promise<void> {
    const state = await this.current();
    if (record.id.startsWith("f_")) state.files[record.id] = record as FileRecord;
    else state.albums[record.id] = record as AlbumRecord;
    this.saves.request();
  }

  /** Waits until every remembered change is saved (the checkpoint too); throws if a save failed. */
  async flush(): Promise<void> {
    await this.checkpoint.save();
    await this.saves.flush();
  }

  async createAlbum(name: string): Promise<AlbumEntry> {
    const id = newId("a");
    const keys = await newAlbumKeys(this.masterKey, this.userId, id, name);
    const record = await this.http.json("/api/albums", AlbumRecordSchema, {
      body: { id, encryptedName: keys.encryptedName, wrappedAlbumKey: keys.wrappedAlbumKey },
    });
    this.ownKeys.set(id, keys.wrappedAlbumKey, keys.albumKey);
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
   * Hides an album (own or shared with the user) or shows it again. Only the user's devices know: the choice is
   * kept in the sealed library checkpoint, never on the album, so the server sees a checkpoint write and no more.
   */
  async setAlbumHidden(albumId: string, hidden: boolean): Promise<void> {
    await this.vouch(checkpointChanges.albumHidden(albumId, hidden));
    await this.hidden.remember();
  }

  /** The albums the user hid (see `setAlbumHidden`): the checkpoint's once read, else as this device last saw. */
  hiddenAlbums(): ReadonlySet<string> {
    return this.hidden.current();
  }

  /**
   * The hidden albums before a sync has read the checkpoint: as this device last saw them (kept in its store),
   * else read from the checkpoint now. A view shows nothing of a hidden album while the library loads.
   */
  hiddenAlbumsBeforeSync(): Promise<ReadonlySet<string>> {
    return this.hidden.beforeSync();
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
    await this.updateMetadata(fileId, { name });
  }

  /**
   * Changes fields of a file's metadata (name, date, time zone, description, rotation, archived): the metadata
   * is validated, re-encrypted under the file key and vouched for in the checkpoint; the content is untouched.
   * Returns the metadata as stored.
   */
  async updateMetadata(fileId: string, edit: MetadataEdit): Promise<FileMetadata> {
    const { record, metadata } = await this.file(fileId);
    const next: Record<string, unknown> = { ...metadata };
    for (const [key, value] of Object.entries(edit)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    const parsed = FileMetadata.safeParse(next);
    if (!parsed.success)
      throw new UmbraClientError(
        "INVALID_INPUT",
        `Invalid metadata edit: ${parsed.error.issues[0]?.message}`,
      );
    const encryptedMetadata = await encryptFileMetadata(await this.fileKey(record), fileId, parsed.data);
    const updated = await this.http.json(`/api/files/${fileId}`, FileRecordSchema, {
      method: "PATCH",
      body: { encryptedMetadata },
    });
    await this.vouch(checkpointChanges.metadataChanged(fileId, await metadataDigest(encryptedMetadata)));
    this.rememberMetadata(updated, parsed.data);
    await this.remember(updated);
    return parsed.data;
  }

  async trash(fileId: string): Promise<void> {
    const record = await this.http.json(`/api/files/${fileId}/trash`, FileRecordSchema, { method: "POST" });
    this.checkpoint.noteTrash(fileId, true);
    await this.vouch(checkpointChanges.trashed(fileId, Date.now()));
    await this.remember(record);
  }

  async restore(fileId: string): Promise<void> {
    const record = await this.http.json(`/api/files/${fileId}/restore`, FileRecordSchema, { method: "POST" });
    this.checkpoint.noteTrash(fileId, false);
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

  /** Records new metadata of one of our files written elsewhere (a live recording's finish). */
  async vouchForMetadata(fileId: string, encryptedMetadata: string): Promise<void> {
    await this.vouch(checkpointChanges.metadataChanged(fileId, await metadataDigest(encryptedMetadata)));
  }

  /** Records a file this device just committed (the uploader calls it; saved with the next flush). */
  async vouchForUpload(fileId: string, encryptedMetadata: string, albumId: string): Promise<void> {
    this.checkpoint.record(
      checkpointChanges.fileAdded(fileId, await metadataDigest(encryptedMetadata), albumId),
    );
  }
}
