import {
  ApiError,
  type FileEntry,
  type MediaHooks,
  mimeFromName,
  ProgressTracker,
  type Session,
  UmbraClient,
  UmbraClientError,
  type UploadSource,
  unlockMasterKeyWithPassword,
} from "@umbra/client";
import { prepareMedia } from "./media-prep.js";
import type { AlbumItem, LibraryItem } from "./media-types.js";
import { ThumbnailDecryptPool } from "./thumbnail-pool.js";

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

export type UploadResult =
  | { kind: "uploaded"; item: LibraryItem }
  | { kind: "duplicate"; existingId: string };

export interface UploadCallbacks {
  signal: AbortSignal;
  onStage: (stage: "uploading") => void;
  onProgress: (bytes: number) => void;
}

/** Favorites are a user album of this name, so they sync to every device and the CLI without a new field. */
export const FAVORITES_ALBUM = "Favorites";

/** A browser File as the SDK's re-readable upload source. */
interface FileSource extends UploadSource {
  file: File;
}

function fileSource(file: File): FileSource {
  const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
  return {
    file,
    name: file.name,
    size: file.size,
    lastModified: file.lastModified,
    mime: file.type || mimeFromName(file.name),
    localKey: `${path}:${file.size}:${file.lastModified}`,
    open: () => file.stream() as ReadableStream<Uint8Array>,
  };
}

/** EXIF and thumbnails are made in the browser (canvas); the SDK encrypts them with the file key. */
const browserMediaHooks: MediaHooks = {
  async extract(source) {
    const file = (source as FileSource).file;
    try {
      const { info, thumbnails } = await prepareMedia(file);
      return { info, thumbnails };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { info: { mime: source.mime }, thumbnails: null, note: `No preview: ${message}` };
    }
  },
};

/** Progress of the one file an upload call carries, as plaintext bytes. */
class FileProgress extends ProgressTracker {
  constructor(private readonly report: (bytes: number) => void) {
    super();
  }
  override fileProgress(key: string, bytesDone: number): void {
    super.fileProgress(key, bytesDone);
    this.report(bytesDone);
  }
}

/**
 * The SDK keeps the master key private. "Stay unlocked in this tab" needs it in sessionStorage, so this is
 * the one place that reaches into the client; it should become a public export/import on UmbraClient.
 */
interface ClientInternals {
  unlocked?: { masterKey: Uint8Array };
  setUnlocked(userId: string, masterKey: Uint8Array): Promise<void>;
}

function toB64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromB64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** The server's `{ error: { code, message } }` body as the SDK's typed ApiError. */
async function thumbnailApiError(response: Response): Promise<ApiError> {
  let code = response.status === 404 ? "NOT_FOUND" : `HTTP_${response.status}`;
  let message = `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === "string") code = body.error.code;
    if (typeof body.error?.message === "string") message = body.error.message;
  } catch {
    // Not JSON: keep the status-derived code.
  }
  return new ApiError(code, message, response.status);
}

function toItem(entry: FileEntry, favoritesId: string | undefined): LibraryItem {
  const m = entry.metadata;
  const modified = typeof m.extra?.modifiedAt === "string" ? m.extra.modifiedAt : undefined;
  const time = [m.takenAt, modified, entry.record.createdAt]
    .map((t) => (t ? Date.parse(t) : Number.NaN))
    .find((t) => Number.isFinite(t))!;
  return {
    id: entry.id,
    meta: m,
    time,
    albumIds: entry.albumIds,
    trashedAt: entry.record.trashedAt,
    contentSize: entry.record.contentSize,
    favorite: favoritesId !== undefined && entry.albumIds.includes(favoritesId),
  };
}

/** The web app's single door to @umbra/client: every protocol and key operation goes through here. */
export class UmbraApi {
  private client: UmbraClient;
  private favoritesId: string | undefined;
  private readonly decryptPool = new ThumbnailDecryptPool();

  constructor(readonly serverUrl: string) {
    this.client = new UmbraClient({ serverUrl });
  }

  private get internals(): ClientInternals {
    return this.client as unknown as ClientInternals;
  }

  private session(): Session {
    if (!this.client.session) throw new UmbraClientError("UNAUTHORIZED", "Not logged in");
    return this.client.session;
  }

  async resume(saved: string): Promise<{ email: string; unlocked: boolean }> {
    const parsed = JSON.parse(saved) as { session: Session; masterKey?: string };
    this.client.useSession(parsed.session);
    await this.client.account(); // A revoked or expired session fails here, so the app shows the login.
    if (parsed.masterKey) await this.internals.setUnlocked(parsed.session.userId, fromB64(parsed.masterKey));
    return { email: parsed.session.email, unlocked: this.client.isUnlocked };
  }

  serialize(withKeys: boolean): string {
    const masterKey = withKeys ? this.internals.unlocked?.masterKey : undefined;
    return JSON.stringify({ session: this.session(), ...(masterKey && { masterKey: toB64(masterKey) }) });
  }

  async signUp(email: string, password: string, device: string): Promise<string> {
    const { recoveryPhrase } = await this.client.signup(email, password, device);
    return recoveryPhrase;
  }

  async logIn(email: string, password: string, device: string): Promise<void> {
    await this.client.login(email, password, device);
  }

  async unlock(password: string): Promise<void> {
    await this.client.unlock(password);
  }

  lock(): void {
    this.client.lock();
    this.decryptPool.terminate();
    this.favoritesId = undefined;
  }

  async logOut(): Promise<void> {
    try {
      await this.client.logout();
    } finally {
      this.decryptPool.terminate();
      this.client = new UmbraClient({ serverUrl: this.serverUrl });
      this.favoritesId = undefined;
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

  async verifyPassword(password: string): Promise<void> {
    const key = await unlockMasterKeyWithPassword(this.session().keyBundle, password);
    key.fill(0);
  }

  async library(): Promise<{ items: LibraryItem[]; albums: AlbumItem[] }> {
    const library = this.client.library;
    await library.sync();
    const albums = await library.albums();
    this.favoritesId = albums.find((a) => a.kind === "user" && a.name === FAVORITES_ALBUM)?.id;
    const files = await library.files();
    return {
      items: files.map((f) => toItem(f, this.favoritesId)),
      albums: albums.map((a) => ({ id: a.id, kind: a.kind, name: a.name })),
    };
  }

  async item(id: string): Promise<LibraryItem> {
    return toItem(await this.client.library.file(id), this.favoritesId);
  }

  account(): Promise<AccountInfo> {
    return this.client.account();
  }

  /**
   * Same steps as the SDK's `thumbnail()` (file key from the library, GET the sealed blob), but the
   * AES-GCM open runs in the worker pool so the main thread stays free while the grid scrolls.
   */
  async thumbnail(id: string, variant: "grid" | "preview"): Promise<Uint8Array> {
    const library = this.client.library;
    const entry = await library.file(id);
    const response = await this.client.http.send(
      `/api/files/${encodeURIComponent(id)}/thumbnails/${variant}`,
    );
    if (!response.ok) throw await thumbnailApiError(response);
    const ciphertext = new Uint8Array(await response.arrayBuffer());
    return this.decryptPool.decrypt(await library.fileKey(entry.record), id, variant, ciphertext);
  }

  /** The whole original, decrypted (each segment authenticated before use). */
  async download(id: string): Promise<Blob> {
    const { stream } = await this.client.download(id);
    return new Response(stream).blob();
  }

  async upload(file: File, albumId: string, callbacks: UploadCallbacks): Promise<UploadResult> {
    let started = false;
    const progress = new FileProgress((bytes) => {
      if (!started) {
        started = true;
        callbacks.onStage("uploading");
      }
      callbacks.onProgress(bytes);
    });
    const summary = await this.client.upload([fileSource(file)], browserMediaHooks, {
      albumId,
      jobs: 1,
      progress,
      signal: callbacks.signal,
    });
    const failed = summary.failed[0];
    if (failed) throw failed.error;
    if (callbacks.signal.aborted) throw new UmbraClientError("ABORTED", "Upload interrupted");
    const skipped = summary.skipped[0];
    if (skipped) return { kind: "duplicate", existingId: skipped.existingId };
    const uploaded = summary.uploaded[0];
    if (!uploaded) throw new UmbraClientError("ABORTED", "Upload interrupted");
    return { kind: "uploaded", item: await this.item(uploaded.fileId) };
  }

  /** The SDK keeps an interrupted tus upload for resumption; the server expires unfinished ones (24 h). */
  async discardUpload(_file: File): Promise<void> {}

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
    this.client = new UmbraClient({ serverUrl: this.serverUrl });
  }
}
