import { appApi } from "../api/app-api.js";
import type { ChangeHint } from "../api/change-events.js";
import { codeOf } from "../api/error-code.js";
import type { AccountInfo, ClientWarning, MetadataEdit, SessionInfo } from "../api/umbra-api.js";
import { FAVORITES_ALBUM } from "../api/umbra-api.js";
import { thumbnails } from "../media/thumbnails.js";
import { mediaRegistry } from "../video/media-registry.js";
import { newestFirst } from "./library-item.js";
import type { AlbumItem, LibraryItem } from "./media-types.js";

export type VaultStatus = "loading" | "signedOut" | "locked" | "unlocked";

const SESSION_KEY = "umbra.session";
const COVERS_KEY = "umbra.album-covers";
const SHARED_TIMELINE_KEY = "umbra.shared-in-timeline";
/** Hints in a row make one sync this long after the last (a checkpoint write: the other device's change is done). */
const HINT_DEBOUNCE_MS = 300;
/**
 * A bare `library` hint waits for the checkpoint write that completes the other device's change (an upload run
 * writes it at its end), or for this much quiet: syncing in between would report the change as the server's.
 */
const LIBRARY_QUIET_MS = 5_000;

/**
 * The app's view of the account: who is signed in, whether keys are in memory, and the decrypted
 * library. Everything protocol-related goes through UmbraApi (the @umbra/client SDK).
 */
class Vault {
  status = $state<VaultStatus>("loading");
  email = $state("");
  /** The server could not be reached when the saved session came back: it is kept, shown locked. */
  offline = $state(false);
  items = $state.raw<LibraryItem[]>([]);
  albums = $state.raw<AlbumItem[]>([]);
  account = $state.raw<AccountInfo | null>(null);
  /** Shown once after sign-up until the user confirms having saved it. */
  pendingPhrase = $state<string | null>(null);
  syncing = $state(false);
  /** Album covers are a per-device choice (album id → file id, no content): the album record has no cover field. */
  covers = $state<Record<string, string>>(readCovers());
  readonly api = appApi;

  /**
   * What the client detected and refused, or could not verify, since the vault was opened (each once, oldest
   * first): the warnings banner shows those not dismissed; Settings offers to create sharing keys on
   * IDENTITY_MISSING.
   */
  warnings = $state.raw<ClientWarning[]>([]);
  /** Warnings the user closed in the banner (they stay in `warnings`). */
  dismissedWarnings = $state.raw<ReadonlySet<ClientWarning>>(new Set());
  readonly shownWarnings: ClientWarning[] = $derived(
    this.warnings.filter((w) => !this.dismissedWarnings.has(w)),
  );
  readonly identityMissing: boolean = $derived(this.warnings.some((w) => w.code === "IDENTITY_MISSING"));

  /** Set when the server ended this session (revoked from another device): the log-in screen says so. */
  signedOutElsewhere = $state(false);
  /** Bumped after each live sync prompted by the server's hints: views of shared albums and sessions reload. */
  hints = $state({ shared: 0, sessions: 0 });
  private readonly signedIn = $derived(this.status === "locked" || this.status === "unlocked");
  private stopWatch: (() => void) | undefined;
  private hintTimer: ReturnType<typeof setTimeout> | undefined;
  private hintScope: "shared" | "all" | undefined;
  private liveSyncing = false;
  /** Logging out or deleting the account here: the server's signed-out for it is no news. */
  private leaving = false;

  constructor() {
    this.api.onWarning((warning) => {
      this.warnings = [...this.warnings, warning];
    });
    this.api.onSessionLost = () => this.sessionEnded();
    // While signed in (locked too, to hear a revocation), the session's event stream hints at changes elsewhere.
    $effect.root(() => {
      $effect(() => {
        if (!this.signedIn) return;
        const stop = this.api.watchChanges({
          changed: (hint) => this.hinted(hint),
          signedOut: () => this.sessionEnded(),
        });
        this.stopWatch = stop;
        return () => {
          stop();
          this.stopWatch = undefined;
        };
      });
    });
  }

  /** Another device or member changed something: sync soon through the SDK (the hint itself is not trusted). */
  private hinted(hint: ChangeHint): void {
    if (hint === "sessions") {
      this.hints = { ...this.hints, sessions: this.hints.sessions + 1 };
      return;
    }
    this.hintScope = hint === "shared" && this.hintScope !== "all" ? "shared" : "all";
    clearTimeout(this.hintTimer);
    this.hintTimer = setTimeout(
      () => void this.liveSync(),
      hint === "library" ? LIBRARY_QUIET_MS : HINT_DEBOUNCE_MS,
    );
  }

  private async liveSync(): Promise<void> {
    if (this.status !== "unlocked" || !this.hintScope) return;
    if (this.liveSyncing || this.syncing) {
      // One sync at a time: this one runs once the current one is done.
      clearTimeout(this.hintTimer);
      this.hintTimer = setTimeout(() => void this.liveSync(), 1_000);
      return;
    }
    const scope = this.hintScope;
    this.hintScope = undefined;
    this.liveSyncing = true;
    try {
      if (scope === "all") await this.refresh();
      else await this.refreshShared();
    } catch (error) {
      console.warn("Umbra: live sync failed", error);
    } finally {
      this.liveSyncing = false;
    }
    if (this.status === "unlocked") this.hints = { ...this.hints, shared: this.hints.shared + 1 };
  }

  /** The server ended this session (revoked on another device, or expired): keys dropped, back to log in. */
  private sessionEnded(): void {
    if (this.leaving || (this.status !== "locked" && this.status !== "unlocked")) return;
    this.api.forgetSession();
    this.forgetAll();
    this.signedOutElsewhere = true;
  }

  dismissWarnings(which: readonly ClientWarning[]): void {
    this.dismissedWarnings = new Set([...this.dismissedWarnings, ...which]);
  }

  /** Creates sharing keys on the user's word (see Settings); the IDENTITY_MISSING warnings are then settled. */
  async createIdentity(replace = false): Promise<void> {
    await this.api.createIdentity({ replace });
    this.warnings = this.warnings.filter((w) => w.code !== "IDENTITY_MISSING");
  }

  /**
   * The user says every difference the checkpoint reported is their own doing (a device that went offline during
   * a change): the library as the server lists it becomes the record. The mismatch warnings are then settled.
   */
  async acceptLibrary(): Promise<void> {
    await this.api.acceptCurrentLibrary();
    this.warnings = this.warnings.filter((w) => w.code !== "LIBRARY_MISMATCH");
    await this.refresh();
  }

  get libraryAlbumId(): string | undefined {
    return this.albums.find((a) => a.kind === "library")?.id;
  }

  /** Albums shared with us whose photos the user chose to see in the timeline (ids only, per device). */
  sharedInTimeline = $state<string[]>(readIdList(SHARED_TIMELINE_KEY));
  sharedItems = $state.raw<LibraryItem[]>([]);

  /**
   * The timeline: our own live files, plus those of shared albums the user opted into. Derived (computed
   * once per change, not per read): the grid reads it per visible row, and a filter of 100,000 items per
   * read made every scroll frame slow.
   */
  readonly visible: LibraryItem[] = $derived.by(() => {
    const own = this.items.filter((i) => !i.trashedAt);
    if (this.sharedItems.length === 0) return own;
    // Our own uploads to a shared album are already in our library: show them once.
    const ownIds = new Set(this.items.map((i) => i.id));
    return [...own, ...this.sharedItems.filter((i) => !ownIds.has(i.id))].sort(newestFirst);
  });

  async showSharedInTimeline(albumId: string, show: boolean): Promise<void> {
    const next = this.sharedInTimeline.filter((id) => id !== albumId);
    if (show) next.push(albumId);
    this.sharedInTimeline = next;
    localStorage.setItem(SHARED_TIMELINE_KEY, JSON.stringify(next));
    await this.refreshShared();
  }

  async refreshShared(): Promise<void> {
    this.sharedItems = await this.api.sharedTimelineItems(this.sharedInTimeline);
  }

  readonly trashed: LibraryItem[] = $derived(this.items.filter((i) => i.trashedAt));

  /** Albums the user hid (from the sealed library checkpoint): the server never learns which. */
  hiddenAlbumIds = $state.raw<ReadonlySet<string>>(new Set());

  private inHiddenAlbum(item: LibraryItem): boolean {
    if (this.hiddenAlbumIds.size === 0) return false;
    if (item.shared && this.hiddenAlbumIds.has(item.shared.albumId)) return true;
    return item.albumIds.some((id) => this.hiddenAlbumIds.has(id));
  }

  /** Our files outside hidden albums (trashed ones too): what search and the map look through. */
  readonly unhiddenItems: LibraryItem[] = $derived(this.items.filter((i) => !this.inHiddenAlbum(i)));

  /** Live files outside hidden albums: photos in a hidden album are seen in that album only. */
  private readonly unhidden: LibraryItem[] = $derived(this.visible.filter((i) => !this.inHiddenAlbum(i)));

  /** The Photos page: the timeline without archived files (they stay in albums, favorites and search). */
  readonly timeline: LibraryItem[] = $derived(this.unhidden.filter((i) => !i.meta.archived));

  readonly archived: LibraryItem[] = $derived(this.unhidden.filter((i) => !i.shared && i.meta.archived));

  readonly favorites: LibraryItem[] = $derived(this.unhidden.filter((i) => i.favorite && !i.shared));

  isAlbumHidden(albumId: string): boolean {
    return this.hiddenAlbumIds.has(albumId);
  }

  /** Hides an album (out of the album list, its photos out of Photos, search, memories and the map) or shows it. */
  async setAlbumHidden(albumId: string, hidden: boolean): Promise<void> {
    await this.api.setAlbumHidden(albumId, hidden);
    this.hiddenAlbumIds = new Set(this.api.hiddenAlbums());
  }

  /** User albums, without the one that holds favorites (shown under Favorites instead). */
  userAlbums(): AlbumItem[] {
    return this.albums.filter(
      (a) => a.kind === "user" && !(a.name === FAVORITES_ALBUM && a.id === this.api.favoritesAlbumId),
    );
  }

  coverOf(albumId: string): LibraryItem | undefined {
    const id = this.covers[albumId];
    const item = id ? this.byId(id) : undefined;
    return item && !item.trashedAt && item.albumIds.includes(albumId) ? item : undefined;
  }

  setCover(albumId: string, fileId: string): void {
    this.covers = { ...this.covers, [albumId]: fileId };
    localStorage.setItem(COVERS_KEY, JSON.stringify(this.covers));
  }

  /** Items by id, rebuilt once per library change: a lookup per file of 100,000 must not scan them all. */
  private readonly index: Map<string, LibraryItem> = $derived(
    new Map([...this.sharedItems, ...this.items].map((i) => [i.id, i])),
  );

  byId(id: string): LibraryItem | undefined {
    return this.index.get(id);
  }

  /** On page load: a session saved in this tab comes back locked, or unlocked if keys were remembered. */
  async restore(): Promise<void> {
    const saved = sessionStorage.getItem(SESSION_KEY);
    if (!saved) {
      this.status = "signedOut";
      return;
    }
    try {
      const { email, unlocked } = await this.api.resume(saved);
      this.email = email;
      this.offline = false;
      this.status = unlocked ? "unlocked" : "locked";
      this.remembered = unlocked;
      if (unlocked) await this.refresh();
    } catch (error) {
      if (codeOf(error) === "NETWORK") {
        // Offline (the installed app opened with no connection): nothing was decrypted; unlock once back online.
        this.email = savedEmail(saved);
        this.offline = true;
        this.status = "locked";
        window.addEventListener("online", () => void this.restore(), { once: true });
        return;
      }
      sessionStorage.removeItem(SESSION_KEY);
      this.status = "signedOut";
    }
  }

  /** Whether this tab keeps its keys across a reload ("Stay unlocked in this tab"). */
  private remembered = false;

  private persist(remember: boolean): void {
    this.remembered = remember;
    sessionStorage.setItem(SESSION_KEY, this.api.serialize(remember));
  }

  async signUp(email: string, password: string): Promise<void> {
    const phrase = await this.api.signUp(email, password, deviceName());
    this.email = email;
    this.pendingPhrase = phrase;
    this.persist(false);
  }

  async confirmPhraseSaved(): Promise<void> {
    this.pendingPhrase = null;
    this.status = "unlocked";
    await this.refresh();
  }

  async logIn(email: string, password: string, remember: boolean): Promise<void> {
    await this.api.logIn(email, password, deviceName());
    this.signedOutElsewhere = false;
    this.email = email;
    this.persist(remember);
    this.status = "unlocked";
    await this.refresh();
  }

  async unlock(password: string, remember: boolean): Promise<void> {
    await this.api.unlock(password);
    this.persist(remember);
    this.status = "unlocked";
    await this.refresh();
  }

  /** Forgets every key and decrypted value; the session token stays so the password alone unlocks. */
  lock(): void {
    this.api.lock();
    mediaRegistry.forgetAll(); // The video worker's keys and bearer token too.
    this.persist(false);
    this.items = [];
    this.sharedItems = [];
    this.albums = [];
    this.hiddenAlbumIds = new Set();
    this.account = null;
    this.status = "locked";
  }

  async logOut(): Promise<void> {
    this.leaving = true;
    this.stopWatch?.();
    try {
      await this.api.logOut();
    } finally {
      this.leaving = false;
      this.forgetAll();
    }
  }

  forgetAll(): void {
    clearTimeout(this.hintTimer);
    this.hintScope = undefined;
    sessionStorage.removeItem(SESSION_KEY);
    mediaRegistry.forgetAll();
    // The next account gets a new client, with warnings of its own.
    this.warnings = [];
    this.dismissedWarnings = new Set();
    this.items = [];
    this.sharedItems = [];
    this.albums = [];
    this.account = null;
    this.email = "";
    this.status = "signedOut";
  }

  async recover(email: string, phrase: string, newPassword: string): Promise<void> {
    await this.api.recover(email, phrase, newPassword);
  }

  async changePassword(current: string, next: string): Promise<void> {
    await this.api.changePassword(current, next);
    // The master key is unchanged: a tab that stayed unlocked across reloads still does.
    this.persist(this.remembered);
  }

  /**
   * Shows the library as it loads: each snapshot is already sorted by capture date, so the grid fills from
   * the first sync page on (it keeps the viewport on the same photo as later pages slot in around it).
   */
  async refresh(): Promise<void> {
    this.syncing = true;
    const account = this.api.account();
    try {
      const { failed } = await this.api.library(
        ({ items, albums, hiddenAlbums }) => {
          if (this.status !== "unlocked") return;
          this.items = items;
          this.albums = albums;
          this.hiddenAlbumIds = hiddenAlbums;
        },
        () => thumbnails.whenIdle(1500),
        (newest) => thumbnails.prefetch(newest, "grid"),
      );
      if (failed > 0) console.warn(`Umbra: ${failed} item(s) could not be decrypted and are not shown`);
      this.account = await account;
      await this.refreshShared().catch((e: unknown) => console.warn("Umbra: shared albums not loaded", e));
    } finally {
      this.syncing = false;
    }
  }

  async refreshAccount(): Promise<void> {
    this.account = await this.api.account();
  }

  private replace(updated: LibraryItem): void {
    this.items = this.items.map((i) => (i.id === updated.id ? updated : i));
  }

  async trash(id: string): Promise<void> {
    this.replace(await this.api.trash(id));
  }

  async restoreFile(id: string): Promise<void> {
    try {
      this.replace(await this.api.restore(id));
    } catch (e) {
      // Undo after the trash was emptied (here or on another device): say what happened, not "file not found".
      if (codeOf(e) === "NOT_FOUND") {
        const name = this.byId(id)?.meta.name;
        this.items = this.items.filter((i) => i.id !== id);
        throw new GoneForGoodError(name);
      }
      throw e;
    }
  }

  async deleteForever(id: string): Promise<void> {
    await this.api.deleteForever(id);
    this.items = this.items.filter((i) => i.id !== id);
  }

  async emptyTrash(): Promise<number> {
    const n = await this.api.emptyTrash();
    this.items = this.items.filter((i) => !i.trashedAt);
    return n;
  }

  /** Edits a file's name, date, time zone, description, rotation or archived state (metadata only). */
  async updateMetadata(id: string, edit: MetadataEdit): Promise<void> {
    const updated = await this.api.updateMetadata(id, edit);
    this.items = this.items.map((i) => (i.id === updated.id ? updated : i)).sort(newestFirst);
  }

  /** Moves files into the archive or back to the timeline: a metadata edit, so the server never learns which. */
  async setArchived(ids: readonly string[], archived: boolean): Promise<void> {
    for (const id of ids) {
      if (this.items.find((i) => i.id === id)?.meta.archived !== archived)
        await this.updateMetadata(id, { archived });
    }
  }

  async setFavorite(id: string, favorite: boolean): Promise<void> {
    this.replace(await this.api.setFavorite(id, favorite));
    const favoritesId = this.api.favoritesAlbumId;
    if (favoritesId && !this.albums.some((a) => a.id === favoritesId)) {
      this.albums = [...this.albums, { id: favoritesId, kind: "user", name: FAVORITES_ALBUM }];
    }
  }

  async createAlbum(name: string): Promise<AlbumItem> {
    const album = await this.api.createAlbum(name);
    this.albums = [...this.albums, album];
    return album;
  }

  async renameAlbum(id: string, name: string): Promise<void> {
    const album = await this.api.renameAlbum(id, name);
    this.albums = this.albums.map((a) => (a.id === id ? album : a));
  }

  async deleteAlbum(id: string): Promise<void> {
    await this.api.deleteAlbum(id);
    await this.refresh();
  }

  async addToAlbum(albumId: string, fileId: string): Promise<void> {
    await this.api.addToAlbum(albumId, fileId);
    const item = this.byId(fileId);
    if (item && !item.albumIds.includes(albumId))
      this.replace({ ...item, albumIds: [...item.albumIds, albumId] });
  }

  async removeFromAlbum(albumId: string, fileId: string): Promise<void> {
    await this.api.removeFromAlbum(albumId, fileId);
    const item = this.byId(fileId);
    if (item) this.replace({ ...item, albumIds: item.albumIds.filter((a) => a !== albumId) });
  }

  added(item: LibraryItem): void {
    this.items = [item, ...this.items.filter((i) => i.id !== item.id)].sort(newestFirst);
  }

  sessions(): Promise<SessionInfo[]> {
    return this.api.sessions();
  }

  async deleteAccount(): Promise<void> {
    this.leaving = true;
    try {
      await this.api.deleteAccount();
    } finally {
      this.leaving = false;
    }
    this.forgetAll();
  }
}

function readIdList(key: string): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function readCovers(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(COVERS_KEY) ?? "{}");
    return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function deviceName(): string {
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua)
    ? "Firefox"
    : /Edg\//.test(ua)
      ? "Edge"
      : /Chrome\//.test(ua)
        ? "Chrome"
        : "Safari";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Mac OS/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : "Linux";
  return `${browser} on ${os} · ${browserTag()}`;
}

/**
 * A short name this browser keeps for itself, so two sessions of the same browser and system can be told apart in
 * the sessions list (random: nothing about the machine is sent).
 */
function browserTag(): string {
  const KEY = "umbra.browserTag";
  let tag = localStorage.getItem(KEY);
  if (!tag || !/^[A-Z2-9]{4}$/.test(tag)) {
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    tag = [...crypto.getRandomValues(new Uint8Array(4))].map((b) => alphabet[b % alphabet.length]).join("");
    localStorage.setItem(KEY, tag);
  }
  return `browser ${tag}`;
}

/** A file that can no longer be restored: the trash it was in has been emptied. */
export class GoneForGoodError extends Error {
  readonly code = "GONE_FOR_GOOD";
  constructor(name: string | undefined) {
    super(
      `${name ? `“${name}”` : "This file"} can't be restored: it was deleted for good when the trash was emptied.`,
    );
    this.name = "GoneForGoodError";
  }
}

export const vault = new Vault();

function savedEmail(saved: string): string {
  try {
    const email = (JSON.parse(saved) as { session?: { email?: unknown } }).session?.email;
    return typeof email === "string" ? email : "";
  } catch {
    return "";
  }
}
