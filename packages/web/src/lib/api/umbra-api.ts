import {
  type ClientWarning,
  downloadThumbnail,
  type FileEntry,
  type KeyValueStore,
  MemorySyncState,
  type MetadataEdit,
  type Session,
  thumbnailBatchRequest,
  thumbnailRequest,
  UmbraClient,
  UmbraClientError,
  unlockMasterKeyWithPassword,
} from "@umbra/client";
import type { BatchLoaded } from "../media/thumbnail-cache.js";
import { type FileRecord, toLibraryItem } from "../state/library-item.js";
import type { AlbumItem, LibraryItem } from "../state/media-types.js";
import { WorkerDecryptor } from "../workers/worker-decryptor.js";
import { localKeyOf } from "./browser-upload-source.js";
import { type ChangeHandlers, watchChanges } from "./change-events.js";
import { LibraryLoader, type LibrarySnapshot } from "./library-loader.js";
import { type BatchCallbacks, uploadFiles } from "./upload-batch.js";
import { WebLocalStore } from "./web-local-store.js";

export type { ClientWarning, MetadataEdit } from "@umbra/client";
export type { BatchCallbacks, UploadResult } from "./upload-batch.js";

export interface AccountInfo {
  userId: string;
  email: string;
  usedBytes: number;
  quotaBytes: number;
  createdAt: string;
}

export interface SessionInfo {
  id: string;
  deviceName: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  current: boolean;
}

/** Favorites are a user album of this name, so they sync to every device and the CLI without a new field. */
export const FAVORITES_ALBUM = "Favorites";

function toB64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromB64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function toItem(entry: FileEntry, favoritesId: string | undefined): LibraryItem {
  // `trashed` is the SDK's vouched trash state (its isTrashed), not the server's trashedAt.
  return toLibraryItem(entry.record, entry.metadata, favoritesId, entry.trashed);
}

/** The web app's single door to @umbra/client: every protocol and key operation goes through here. */
export class UmbraApi {
  private client: UmbraClient;
  private favoritesId: string | undefined;
  /** Where the SDK opens records for this app: its worker pools. */
  private readonly decryptor = new WorkerDecryptor();
  private readonly loader = new LibraryLoader(this.decryptor, FAVORITES_ALBUM);
  /** The SDK's local state per user (sync cache, duplicate index), held here so the loader can sync into it. */
  private stores = new Map<string, KeyValueStore>();
  /** Files of shared albums shown in the timeline → their album (thumbnails and downloads go through it). */
  private readonly sharedFileAlbums = new Map<string, string>();
  /** Unwrapped file keys of the session, for thumbnails (keyed by the wrapping they came from). */
  private readonly fileKeys = new Map<string, { wrapped: string; key: Uint8Array }>();
  /** Who hears the client's warnings; kept here because logout and account deletion replace the client. */
  private readonly warningListeners = new Set<(warning: ClientWarning) => void>();
  /** Told when the server answers 401 to a request that carried the session's token: the session is gone. */
  onSessionLost: () => void = () => {};

  constructor(readonly serverUrl: string) {
    this.client = this.newClient();
  }

  private newClient(): UmbraClient {
    this.stores = new Map();
    const client = new UmbraClient({
      serverUrl: this.serverUrl,
      fetch: (input, init) => this.watchedFetch(input, init),
      // The vault loads the library right after login or unlock: its checkpoint downloads meanwhile.
      prefetchCheckpoint: true,
      storeFor: (userId) => this.storeFor(userId),
      // The tab keeps the library as objects: serializing 100,000 records per sync cost about a second.
      syncStateFor: () => new MemorySyncState(),
      recordDecryptor: this.decryptor,
    });
    client.warnings.on((warning) => {
      for (const listener of this.warningListeners) listener(warning);
    });
    return client;
  }

  /** Every SDK request: a 401 to one that carried a bearer token means the session was revoked or expired. */
  private async watchedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const response = await globalThis.fetch(input, init);
    if (response.status === 401) {
      // Only a 401 to the current session's own token ends it: a request still in flight from a session logged
      // out here (then a new log-in) must not sign the new one out.
      const sent = new Headers(init?.headers).get("authorization");
      const current = this.client.session?.token;
      if (sent && current && sent === `Bearer ${current}`) this.onSessionLost();
    }
    return response;
  }

  /**
   * Hints from the server's event stream for this session (see change-events.ts); returns the function that stops
   * watching. A hint is only a reason to sync through the SDK again.
   */
  watchChanges(handlers: ChangeHandlers): () => void {
    return watchChanges({ serverUrl: this.serverUrl, token: () => this.client.session?.token }, handlers);
  }

  /** The session ended elsewhere: keys and decrypted values are dropped here, without asking the server. */
  forgetSession(): void {
    this.client.lock();
    this.forgetDecrypted();
    this.client = this.newClient();
  }

  /**
   * What the client detected and refused, or could not verify (a lying server's traces), in plain words: those
   * raised so far, then each new one as it comes. Returns the function that stops listening.
   */
  onWarning(listener: (warning: ClientWarning) => void): () => void {
    this.warningListeners.add(listener);
    for (const warning of this.client.warnings.list) listener(warning);
    return () => this.warningListeners.delete(listener);
  }

  /**
   * Creates and publishes sharing keys when the server presents none: only when the user asks. With `replace`,
   * even though this device saw keys for the account before (shares sealed to those stop opening).
   */
  /** The library as the server lists it becomes the checkpoint (only on the user's word: see the banner). */
  acceptCurrentLibrary(): Promise<void> {
    return this.client.library.acceptCurrentState();
  }

  createIdentity(options: { replace?: boolean } = {}): Promise<void> {
    return this.client.createIdentity(options);
  }

  private storeFor(userId: string): KeyValueStore {
    let store = this.stores.get(userId);
    if (!store) {
      store = new WebLocalStore(userId);
      this.stores.set(userId, store);
    }
    return store;
  }

  /** Forgets decrypted metadata and unwrapped keys, and stops the workers that held them. */
  private forgetDecrypted(): void {
    this.decryptor.terminate();
    this.loader.clear();
    for (const { key } of this.fileKeys.values()) key.fill(0);
    this.fileKeys.clear();
    this.sharedFileAlbums.clear();
    this.favoritesId = undefined;
  }

  /** The SDK itself, for features with their own door (sharing-api.ts). */
  get sdk(): UmbraClient {
    return this.client;
  }

  private session(): Session {
    if (!this.client.session) throw new UmbraClientError("UNAUTHORIZED", "Not logged in");
    return this.client.session;
  }

  async resume(saved: string): Promise<{ email: string; unlocked: boolean }> {
    const parsed = JSON.parse(saved) as { session: Session; masterKey?: string };
    this.client.useSession(parsed.session);
    await this.client.account(); // A revoked or expired session fails here, so the app shows the login.
    if (parsed.masterKey) {
      this.warmPools("metadata");
      this.warmPools("thumbnails");
    }
    if (parsed.masterKey) await this.client.unlockWithMasterKey(fromB64(parsed.masterKey));
    return { email: parsed.session.email, unlocked: this.client.isUnlocked };
  }

  serialize(withKeys: boolean): string {
    const masterKey = withKeys && this.client.isUnlocked ? this.client.exportMasterKey() : undefined;
    return JSON.stringify({ session: this.session(), ...(masterKey && { masterKey: toB64(masterKey) }) });
  }

  async signUp(email: string, password: string, device: string): Promise<string> {
    const { recoveryPhrase } = await this.client.signup(email, password, device);
    return recoveryPhrase;
  }

  async logIn(email: string, password: string, device: string): Promise<void> {
    this.warmPools("metadata");
    await this.client.login(email, password, device);
    performance.mark("umbra-logged-in");
    this.warmPools("thumbnails");
  }

  async unlock(password: string): Promise<void> {
    this.warmPools("metadata");
    await this.client.unlock(password);
    performance.mark("umbra-logged-in");
    this.warmPools("thumbnails");
  }

  /**
   * Worker start-up (loading and compiling their modules) overlaps other work instead of following it: the
   * metadata workers during key derivation, the thumbnail workers during the first sync page, so the six
   * start-ups do not all compete with the key derivation on a small machine.
   */
  private warmPools(which: "metadata" | "thumbnails"): void {
    this.decryptor.warm(which);
  }

  lock(): void {
    this.client.lock();
    this.forgetDecrypted();
  }

  async logOut(): Promise<void> {
    try {
      await this.client.logout();
    } finally {
      this.forgetDecrypted();
      this.client = this.newClient();
    }
  }

  recover(email: string, phrase: string, password: string): Promise<void> {
    return this.client.recover(email, phrase, password);
  }

  /** The current password is checked against a fresh key bundle before the new one is registered. */
  async changePassword(current: string, next: string): Promise<void> {
    await this.client.unlock(current);
    await this.client.changePassword(next);
  }

  /** The recovery phrase again, after the password (checked against a fresh key bundle). */
  revealRecoveryPhrase(password: string): Promise<string> {
    return this.client.revealRecoveryPhrase(password);
  }

  async verifyPassword(password: string): Promise<void> {
    const key = await unlockMasterKeyWithPassword(this.session().keyBundle, password);
    key.fill(0);
  }

  /**
   * Syncs and decrypts the library; `onUpdate` gets sorted snapshots while it loads (first page first), so
   * the timeline can show before the last page arrives.
   */
  async library(
    onUpdate: (snapshot: LibrarySnapshot) => void = () => {},
    pace?: () => Promise<void>,
    onFirstPage?: (newest: readonly string[]) => void,
  ): Promise<LibrarySnapshot> {
    this.session(); // Logged in, or a clear error.
    const snapshot = await this.loader.load(
      this.client,
      (s) => {
        this.favoritesId = s.favoritesId;
        onUpdate(s);
      },
      pace,
      onFirstPage,
    );
    this.favoritesId = snapshot.favoritesId;
    return snapshot;
  }

  /** One file as the app shows it; metadata this session already decrypted is not decrypted again. */
  async item(id: string): Promise<LibraryItem> {
    const record = this.client.library.state?.files[id];
    const cached = record && this.loader.cachedMetadata(record);
    if (record && cached)
      return toLibraryItem(record, cached, this.favoritesId, this.client.library.isTrashed(record));
    const entry = await this.client.library.file(id);
    this.loader.remember(entry.record, entry.metadata);
    return toItem(entry, this.favoritesId);
  }

  private async fileKey(record: FileRecord): Promise<Uint8Array> {
    const wrapped = record.albums.map((a) => a.wrappedFileKey).join(",");
    const hit = this.fileKeys.get(record.id);
    if (hit && hit.wrapped === wrapped) return hit.key;
    const key = await this.client.library.fileKey(record);
    this.fileKeys.set(record.id, { wrapped, key });
    return key;
  }

  account(): Promise<AccountInfo> {
    return this.client.account();
  }

  /**
   * A thumbnail as JPEG bytes or its data: URL, with the file keys this session already unwrapped. A decrypt
   * worker fetches and opens it (the main thread stays free while the grid scrolls); anything but a 200 to that
   * one GET takes the SDK's own path, with its retries, its error messages and its revoked-session check.
   */
  async thumbnail(id: string, variant: "grid" | "preview"): Promise<Uint8Array | string> {
    const sharedAlbum = this.sharedFileAlbums.get(id);
    if (sharedAlbum) return this.client.sharedFiles.thumbnail(sharedAlbum, id, variant);
    const { record } = await this.client.library.file(id);
    const request = thumbnailRequest(this.client.http, id, variant);
    const fetched = await this.decryptor.thumbnailDataUrl(request, await this.fileKey(record), id, variant);
    if (fetched !== undefined) return fetched;
    return downloadThumbnail(this.client.http, this.client.library, id, variant, {
      fileKey: (record) => this.fileKey(record),
    });
  }

  /**
   * Several thumbnails of the user's library in one POST, fetched and opened in one decrypt worker, each under
   * its own file key. A thumbnail the batch did not bring (absent at the server, an answer other than 200, a
   * file of a shared album) takes the one-at-a-time path above, with its retries and error messages.
   */
  async thumbnailBatch(ids: string[], variant: "grid" | "preview"): Promise<BatchLoaded[]> {
    const alone = (id: string) =>
      this.thumbnail(id, variant).then(
        (value): BatchLoaded => ({ ok: true, value }),
        (error: unknown): BatchLoaded => ({ ok: false, error }),
      );
    const own = ids.filter((id) => !this.sharedFileAlbums.has(id));
    const keyed = await Promise.all(
      own.map(async (fileId) => {
        try {
          const { record } = await this.client.library.file(fileId);
          return { fileId, fileKey: await this.fileKey(record) };
        } catch {
          return undefined; // Not in the library (any more): asked alone, which explains.
        }
      }),
    );
    const items = keyed.filter((k) => k !== undefined);
    const results =
      items.length === 0
        ? []
        : await this.decryptor.thumbnailDataUrls(
            thumbnailBatchRequest(
              this.client.http,
              items.map((i) => i.fileId),
              variant,
            ),
            items,
            variant,
          );
    const byId = new Map(items.map((item, i) => [item.fileId, results[i]]));
    return Promise.all(
      ids.map((id): BatchLoaded | Promise<BatchLoaded> => {
        const result = byId.get(id);
        if (!result || "alone" in result) return alone(id);
        if ("error" in result) return { ok: false, error: result.error };
        return { ok: true, value: result.dataUrl };
      }),
    );
  }

  /** The whole original, decrypted (each segment authenticated before use). */
  async download(id: string): Promise<Blob> {
    const sharedAlbum = this.sharedFileAlbums.get(id);
    const { stream } = sharedAlbum
      ? await this.client.sharedFiles.download(sharedAlbum, id)
      : await this.client.download(id);
    return new Response(stream).blob();
  }

  /**
   * The verified files of albums shared with us that the user chose to see in the timeline (records no member
   * signed are left out, as everywhere). Albums that are no longer shared are skipped.
   */
  async sharedTimelineItems(albumIds: string[]): Promise<LibraryItem[]> {
    if (albumIds.length === 0) return [];
    const { albums } = await this.client.sharing.sharedWithMe();
    const items: LibraryItem[] = [];
    for (const album of albums.filter((a) => albumIds.includes(a.id))) {
      const { files } = await this.client.sharedFiles.list(album.id);
      for (const f of files) {
        this.sharedFileAlbums.set(f.id, album.id);
        const time = [f.metadata.takenAt, f.record.createdAt].map((t) => (t ? Date.parse(t) : Number.NaN));
        items.push({
          id: f.id,
          meta: f.metadata,
          time: time.find((t) => Number.isFinite(t)) ?? 0,
          albumIds: [],
          trashedAt: null,
          contentSize: f.record.contentSize,
          favorite: false,
          shared: { albumId: album.id, ownerEmail: album.ownerEmail },
          ...(f.record.live && { live: true as const }),
        });
      }
    }
    return items;
  }

  /** Several files in one SDK call; see upload-batch.ts. */
  uploadBatch(files: File[], albumId: string, jobs: number, callbacks: BatchCallbacks): Promise<void> {
    return uploadFiles(this.client, files, albumId, jobs, callbacks, (id) => this.item(id));
  }

  /** A cancelled file: its partial upload is deleted on the server and its resume state forgotten. */
  async discardUpload(file: File): Promise<void> {
    if (this.client.isUnlocked) await this.client.discardUpload({ localKey: localKeyOf(file) });
  }

  async trash(id: string): Promise<LibraryItem> {
    await this.client.library.trash(id);
    return this.item(id);
  }

  async restore(id: string): Promise<LibraryItem> {
    await this.client.library.restore(id);
    return this.item(id);
  }

  deleteForever(id: string): Promise<void> {
    return this.client.library.deletePermanently(id);
  }

  emptyTrash(): Promise<number> {
    return this.client.library.emptyTrash();
  }

  /** Edits a file's metadata in place (re-encrypted; the content is untouched). */
  async updateMetadata(id: string, edit: MetadataEdit): Promise<LibraryItem> {
    await this.client.library.updateMetadata(id, edit);
    const entry = await this.client.library.file(id);
    this.loader.remember(entry.record, entry.metadata);
    return toItem(entry, this.favoritesId);
  }

  async setFavorite(id: string, favorite: boolean): Promise<LibraryItem> {
    const library = this.client.library;
    if (favorite) {
      this.favoritesId ??= (await library.createAlbum(FAVORITES_ALBUM)).id;
      await library.addToAlbum(id, this.favoritesId);
    } else if (this.favoritesId) {
      await library.removeFromAlbum(id, this.favoritesId);
    }
    return this.item(id);
  }

  get favoritesAlbumId(): string | undefined {
    return this.favoritesId;
  }

  async createAlbum(name: string): Promise<AlbumItem> {
    const album = await this.client.library.createAlbum(name);
    return { id: album.id, kind: album.kind, name: album.name };
  }

  async renameAlbum(id: string, name: string): Promise<AlbumItem> {
    await this.client.library.renameAlbum(id, name);
    return { id, kind: "user", name };
  }

  deleteAlbum(id: string): Promise<void> {
    return this.client.library.deleteAlbum(id);
  }

  /** Hides or shows an album; kept in the sealed library checkpoint, never told to the server. */
  setAlbumHidden(id: string, hidden: boolean): Promise<void> {
    return this.client.library.setAlbumHidden(id, hidden);
  }

  hiddenAlbums(): ReadonlySet<string> {
    return this.client?.library.hiddenAlbums() ?? new Set();
  }

  addToAlbum(albumId: string, fileId: string): Promise<void> {
    return this.client.library.addToAlbum(fileId, albumId);
  }

  removeFromAlbum(albumId: string, fileId: string): Promise<void> {
    return this.client.library.removeFromAlbum(fileId, albumId);
  }

  sessions(): Promise<SessionInfo[]> {
    return this.client.listSessions();
  }

  revokeSession(id: string): Promise<void> {
    return this.client.revokeSession(id);
  }

  revokeOtherSessions(): Promise<number> {
    return this.client.revokeOtherSessions();
  }

  async deleteAccount(): Promise<void> {
    await this.client.deleteAccount();
    this.forgetDecrypted();
    this.client = this.newClient();
  }
}
