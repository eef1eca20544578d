import type { ThumbnailVariant } from "@umbra/crypto";
import {
  AccountResponse,
  KeyBundle,
  RevokeOthersResponse,
  type SessionRecord,
  SessionsResponse,
} from "@umbra/protocol";
import * as account from "./account.js";
import type { BackoffOptions } from "./backoff.js";
import { CHECKPOINT_HEAD_PATH } from "./checkpoint-head.js";
import type { Contacts } from "./contacts.js";
import { downloadFile, downloadRange, downloadThumbnail } from "./download.js";
import { LockedError, UmbraClientError } from "./errors.js";
import { discardResponse, type FetchLike, HttpTransport } from "./http.js";
import { type IdentityOptions, loadOrCreateIdentity } from "./identity.js";
import { revealRecoveryPhrase, unlockMasterKeyWithPassword, validateKeyBundle } from "./keys.js";
import type { Library } from "./library.js";
import type { Links } from "./links.js";
import type { LiveUploads } from "./live-uploads.js";
import type { MediaHooks, UploadSource } from "./metadata.js";
import type { RecordDecryptor } from "./record-decrypt.js";
import { Renditions } from "./renditions.js";
import type { SharedFiles } from "./shared-files.js";
import type { Sharing } from "./sharing.js";
import { type KeyValueStore, MemoryStore } from "./store.js";
import { type SyncStateCache, storedSyncState } from "./sync-cache.js";
import { openVault, type UnlockedVault } from "./unlocked-vault.js";
import { Uploader, type UploadOptions, type UploadSummary } from "./upload.js";
import { UploadResumeState } from "./upload-resume-state.js";
import { Warnings } from "./warnings.js";

export interface UmbraClientOptions {
  serverUrl: string;
  fetch?: FetchLike;
  /** Local state (sync cache, duplicate index, resumable uploads) per user; in memory by default. */
  storeFor?: (userId: string) => KeyValueStore;
  /** Where each user's sync state is kept between syncs; by default one JSON value in the user's store. */
  syncStateFor?: (userId: string) => SyncStateCache;
  backoff?: Partial<BackoffOptions>;
  deviceName?: string;
  /** Where metadata and thumbnails are opened (e.g. a worker pool); in this thread by default. */
  recordDecryptor?: RecordDecryptor;
  /**
   * Send the GET of the checkpoint's head at login and unlock, before the master key is ready, for a view that
   * shows the library at once (the web app). Off by default: a client that reads it later would read an older one.
   */
  prefetchCheckpoint?: boolean;
}

/** The Umbra SDK: account, keys, library, upload and download against one server. */
export class UmbraClient {
  readonly http: HttpTransport;
  session: account.Session | undefined;
  private unlocked: UnlockedVault | undefined;
  /** The head's GET, sent at login or unlock before the master key is ready (see prefetchCheckpoint). */
  private earlyCheckpoint: Promise<Response> | undefined;
  private readonly storeFor: (userId: string) => KeyValueStore;
  private readonly stores = new Map<string, KeyValueStore>();
  private readonly syncStates = new Map<string, SyncStateCache>();
  /** What the client detected and refused while unlocked (a lying server's traces): shown to the user. */
  readonly warnings = new Warnings();

  constructor(private readonly options: UmbraClientOptions) {
    this.http = new HttpTransport({
      serverUrl: options.serverUrl,
      fetch: options.fetch,
      backoff: options.backoff,
    });
    this.storeFor = options.storeFor ?? (() => new MemoryStore());
  }

  private storeOf(userId: string): KeyValueStore {
    let store = this.stores.get(userId);
    if (!store) {
      store = this.storeFor(userId);
      this.stores.set(userId, store);
    }
    return store;
  }

  private syncStateOf(userId: string, store: KeyValueStore): SyncStateCache {
    let cache = this.syncStates.get(userId);
    if (!cache) {
      cache = this.options.syncStateFor?.(userId) ?? storedSyncState(store);
      this.syncStates.set(userId, cache);
    }
    return cache;
  }

  /** Creates the account (keys, recovery phrase, library album) and logs in. The phrase is shown once. */
  async signup(
    email: string,
    password: string,
    deviceName = this.options.deviceName ?? "umbra",
  ): Promise<{ recoveryPhrase: string }> {
    const { recoveryPhrase } = await account.signup(this.http, email, password);
    const { session, masterKey } = await account.login(this.http, email, password, deviceName, (token) => {
      this.prefetchCheckpoint({ authorization: `Bearer ${token}` });
    });
    this.useSession(session);
    // The one moment an identity is created without asking: the account is new.
    await this.setUnlocked(session.userId, masterKey, true, { create: true });
    return { recoveryPhrase };
  }

  async login(
    email: string,
    password: string,
    deviceName = this.options.deviceName ?? "umbra",
  ): Promise<account.Session> {
    const { session, masterKey } = await account.login(this.http, email, password, deviceName, (token) => {
      this.prefetchCheckpoint({ authorization: `Bearer ${token}` });
    });
    this.useSession(session);
    await this.setUnlocked(session.userId, masterKey);
    return session;
  }

  /** Resumes a saved session without keys (locked): enough for session management and logout. */
  useSession(session: account.Session): void {
    this.session = session;
    this.http.token = session.token;
  }

  get isUnlocked(): boolean {
    return this.unlocked !== undefined;
  }

  /** Unwraps the master key with the password, using a fresh key bundle from the server when online. */
  async unlock(password: string, options: { refreshBundle?: boolean } = {}): Promise<void> {
    const session = this.requireSession();
    this.prefetchCheckpoint();
    if (options.refreshBundle !== false) {
      const bundle = await this.http.json("/api/account/keys", KeyBundle);
      validateKeyBundle(bundle, session.userId);
      session.keyBundle = bundle;
    } else {
      validateKeyBundle(session.keyBundle, session.userId);
    }
    await this.setUnlocked(session.userId, await unlockMasterKeyWithPassword(session.keyBundle, password));
  }

  /**
   * The checkpoint's head (read before a view's first screen for the hidden albums) downloads while the password
   * unwraps the master key; the library opens and checks it as any other.
   */
  private prefetchCheckpoint(headers: Record<string, string> = {}): void {
    discardResponse(this.earlyCheckpoint); // One left by a failed unlock (a wrong password).
    this.earlyCheckpoint = undefined;
    if (!this.options.prefetchCheckpoint) return;
    const early = this.http.send(CHECKPOINT_HEAD_PATH, { headers });
    early.catch(() => undefined);
    this.earlyCheckpoint = early;
  }

  /** `proven`: the key came out of an authenticated unwrap (password, phrase); else it is checked first. */
  private async setUnlocked(
    userId: string,
    masterKey: Uint8Array,
    proven = true,
    identityOptions: IdentityOptions = {},
  ): Promise<void> {
    const store = this.storeOf(userId);
    const earlyCheckpoint = this.earlyCheckpoint;
    this.earlyCheckpoint = undefined;
    this.unlocked = await openVault({
      http: this.http,
      store,
      userId,
      masterKey,
      syncState: this.syncStateOf(userId, store),
      warnings: this.warnings,
      recordDecryptor: this.options.recordDecryptor,
      earlyCheckpoint,
      proven,
      identityOptions,
      ownEmail: () => this.session?.email ?? "",
    });
  }

  /**
   * A copy of the master key, for a caller that keeps the vault unlocked across a page reload (the web app's
   * "stay unlocked in this tab", in sessionStorage). Handle it like the password.
   */
  exportMasterKey(): Uint8Array {
    return this.requireUnlocked().masterKey.slice();
  }

  /** Unlocks with a master key from exportMasterKey(); it must open the account's password-wrapped bundle. */
  async unlockWithMasterKey(masterKey: Uint8Array): Promise<void> {
    const session = this.requireSession();
    validateKeyBundle(session.keyBundle, session.userId);
    if (!(masterKey instanceof Uint8Array) || masterKey.length !== 32) {
      throw new UmbraClientError("INVALID_INPUT", "A master key is 32 bytes");
    }
    // A wrong key fails here (the library album's key does not unwrap), before anything is published with it.
    await this.setUnlocked(session.userId, masterKey.slice(), false);
  }

  /**
   * Creates and publishes a sharing identity when the server presents none. Only on the user's word: with
   * `replace`, even though this device saw one before (shares sealed to the old keys stop opening).
   */
  async createIdentity(options: { replace?: boolean } = {}): Promise<void> {
    const session = this.requireSession();
    const { masterKey, store } = this.requireUnlocked();
    await loadOrCreateIdentity(this.http, store, session.userId, masterKey, { create: true, ...options });
  }

  /** Forgets the keys (the session stays). */
  lock(): void {
    this.unlocked?.masterKey.fill(0);
    this.unlocked?.dedupKey.fill(0);
    this.unlocked = undefined;
  }

  private requireSession(): account.Session {
    if (!this.session) throw new UmbraClientError("UNAUTHORIZED", "Not logged in");
    return this.session;
  }

  private requireUnlocked(): UnlockedVault {
    if (!this.unlocked) throw new LockedError();
    return this.unlocked;
  }

  get library(): Library {
    return this.requireUnlocked().library;
  }

  /** Sharing albums with other accounts (grants, removal with key rotation, leaving, safety numbers). */
  get sharing(): Sharing {
    return this.requireUnlocked().sharing;
  }

  /** Files of shared albums: verified listing, signed adds, download. */
  get sharedFiles(): SharedFiles {
    return this.requireUnlocked().sharedFiles;
  }

  /** Other users' pinned public keys. */
  get contacts(): Contacts {
    return this.requireUnlocked().contacts;
  }

  /** Live recordings: upload while recording, watch while live, recover interrupted ones. */
  get live(): LiveUploads {
    return this.requireUnlocked().live;
  }

  /** Playable copies of the library's videos, made on this device and stored encrypted beside the original. */
  get renditions(): Renditions {
    return new Renditions(this.http, this.library, this.sharedFiles);
  }

  /** Public links to one's albums and files. */
  get links(): Links {
    return this.requireUnlocked().links;
  }

  async changePassword(newPassword: string): Promise<void> {
    const session = this.requireSession();
    await account.changePassword(this.http, session.userId, this.requireUnlocked().masterKey, newPassword);
    session.keyBundle = await this.http.json("/api/account/keys", KeyBundle);
  }

  /** Shows the recovery phrase again after the password is re-entered (checked against a fresh key bundle). */
  async revealRecoveryPhrase(password: string): Promise<string> {
    const session = this.requireSession();
    const bundle = await this.http.json("/api/account/keys", KeyBundle);
    validateKeyBundle(bundle, session.userId);
    const masterKey = await unlockMasterKeyWithPassword(bundle, password);
    try {
      return await revealRecoveryPhrase(bundle, masterKey);
    } finally {
      masterKey.fill(0);
    }
  }

  /** Resets the password with the recovery phrase; every session is revoked, so log in afterwards. */
  recover(email: string, phrase: string, newPassword: string): Promise<void> {
    return account.recover(this.http, email, phrase, newPassword);
  }

  account(): Promise<AccountResponse> {
    return this.http.json("/api/account", AccountResponse);
  }

  async listSessions(): Promise<SessionRecord[]> {
    return (await this.http.json("/api/sessions", SessionsResponse)).sessions;
  }

  revokeSession(id: string): Promise<void> {
    return this.http.json(`/api/sessions/${encodeURIComponent(id)}`, null, { method: "DELETE" });
  }

  async revokeOtherSessions(): Promise<number> {
    return (await this.http.json("/api/sessions/revoke-others", RevokeOthersResponse, { method: "POST" }))
      .revoked;
  }

  async logout(): Promise<void> {
    try {
      await this.http.json("/api/auth/logout", null, { method: "POST" });
    } finally {
      this.lock();
      this.session = undefined;
      this.http.token = undefined;
    }
  }

  async deleteAccount(): Promise<void> {
    await this.http.json("/api/account", null, { method: "DELETE" });
    this.lock();
    this.session = undefined;
    this.http.token = undefined;
  }

  /** Uploads sources (encrypting as they stream); duplicates of files already in the vault are skipped. */
  async upload(
    sources: UploadSource[],
    hooks: MediaHooks,
    options: UploadOptions = {},
  ): Promise<UploadSummary> {
    const unlocked = this.requireUnlocked();
    await unlocked.library.sync();
    const uploader = this.uploader(hooks);
    await uploader.indexLibrary();
    // Into someone else's shared album: upload to our library, then place each file there, signed.
    const target = options.albumId;
    const sharedTarget = target !== undefined && !unlocked.library.state?.albums[target] ? target : undefined;
    if (sharedTarget && (await unlocked.sharing.access(sharedTarget)).role === "viewer") {
      throw new UmbraClientError("FORBIDDEN", "You can view this shared album but not add to it");
    }
    const summary = await uploader.uploadAll(
      sources,
      sharedTarget ? { ...options, albumId: undefined } : options,
    );
    if (sharedTarget) {
      for (const { fileId } of summary.uploaded) await unlocked.sharedFiles.add(sharedTarget, fileId);
      for (const { existingId } of summary.skipped) await unlocked.sharedFiles.add(sharedTarget, existingId);
    } else if (target !== undefined) {
      for (const { fileId } of summary.uploaded) await unlocked.events.emit("placed", target, fileId);
    }
    return summary;
  }

  /** After a cancelled upload: deletes its partial upload on the server and its local resume state. */
  async discardUpload(source: Pick<UploadSource, "localKey">): Promise<number> {
    return UploadResumeState.of(this.requireUnlocked().store).discard(source.localKey, this.http);
  }

  private uploader(hooks: MediaHooks): Uploader {
    const unlocked = this.requireUnlocked();
    return new Uploader({
      http: this.http,
      store: unlocked.store,
      library: unlocked.library,
      userId: this.requireSession().userId,
      dedupKey: unlocked.dedupKey,
      hooks,
    });
  }

  download(fileId: string) {
    return downloadFile(this.http, this.library, fileId);
  }

  downloadRange(fileId: string, start: number, endInclusive: number) {
    return downloadRange(this.http, this.library, fileId, start, endInclusive);
  }

  thumbnail(fileId: string, variant: ThumbnailVariant) {
    return downloadThumbnail(this.http, this.library, fileId, variant);
  }

  /** The duplicate-detection key, HKDF(masterKey, "umbra/v1/dedup") (SPEC §9), for callers that digest files themselves. */
  get dedupKey(): Uint8Array {
    return this.requireUnlocked().dedupKey;
  }
}
