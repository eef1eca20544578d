import { deriveCheckpointKey, sealCheckpoint, toBase64Url } from "@umbra/crypto";
import { PutCheckpointResponse } from "@umbra/protocol";
import {
  CheckpointBody,
  type CheckpointChange,
  type LibraryDiscrepancies,
  metadataDigest,
  noDiscrepancies,
  paddedJson,
} from "./checkpoint-body.js";
import { parseCheckpointBody } from "./checkpoint-body-parse.js";
import { fetchCheckpoint } from "./checkpoint-fetch.js";
import { fetchCheckpointHead, sealedHeadOf } from "./checkpoint-head.js";
import { ApiError, errorCode, InvalidResponseError } from "./errors.js";
import { discardResponse, type HttpTransport } from "./http.js";
import type { SeenState } from "./seen-state.js";
import type { SyncState } from "./sync-cache.js";
import type { Warnings } from "./warnings.js";

const DAY_MS = 86_400_000;

/** The part of a checkpoint's body a view needs before its first screen (see `loadHidden`). */
const HiddenOnly = CheckpointBody.pick({ v: true, hidden: true });

/** Lets a page paint between slices of a large library's digests (100,000 files are ~70 MB to hash). */
const yieldEvery = (i: number) =>
  i > 0 && i % 2000 === 0 ? new Promise((resolve) => setTimeout(resolve, 0)) : undefined;

/**
 * The library checkpoint (SPEC §15): the state of the user's own library as their devices made it, sealed under a
 * key from the master key with a counter that only goes up. The server stores it unread; every device compares
 * what the sync feed says against it, so hiding, injecting, resurrecting or rolling back the user's own files and
 * albums is detected (SYNC_ROLLBACK, LIBRARY_MISMATCH) instead of shown as the truth.
 */
export class LibraryCheckpoint {
  private latest: { counter: number; body: CheckpointBody } | undefined;
  /** The answer to the head's GET sent at login (see `usePrefetchedHead`). */
  private prefetchedHead: Promise<Response> | undefined;
  /** Opened and authenticated by `loadHidden`, its body not yet checked (`load` checks it). */
  private unchecked: { counter: number; json: unknown } | undefined;
  private readonly pending: CheckpointChange[] = [];
  private key: Promise<Uint8Array> | undefined;
  private saving: Promise<void> | undefined;
  private readonly digests = new Map<string, { encrypted: string; digest: string }>();

  constructor(
    private readonly http: HttpTransport,
    private readonly userId: string,
    private readonly masterKey: Uint8Array,
    private readonly seen: SeenState,
    private readonly warnings: Warnings,
    /** The server's trash retention: older trashed files may vanish without anyone's action. */
    private readonly trashDays = 30,
  ) {}

  private checkpointKey(): Promise<Uint8Array> {
    this.key ??= deriveCheckpointKey(this.masterKey);
    return this.key;
  }

  /** The newest checkpoint the server has, opened and checked against the highest counter this device saw. */
  async load(): Promise<{ counter: number; body: CheckpointBody } | undefined> {
    const opened = await this.fetchOpened();
    if (opened === undefined || "body" in opened) return opened;
    const body = parseCheckpointBody(opened.json);
    if (!body) throw new InvalidResponseError("The library checkpoint does not parse");
    this.latest = { counter: opened.counter, body };
    this.unchecked = undefined;
    return this.latest;
  }

  /**
   * Only the albums the user hid, from the newest checkpoint's head (SPEC §15: a few kilobytes, where the body is
   * megabytes at 100,000 files), authenticated and held to the highest counter seen like `load`: what a view needs
   * before its first screen. A checkpoint written without a head is read whole, its body checked at the next
   * `load` without fetching it again.
   */
  async loadHidden(): Promise<ReadonlySet<string> | undefined> {
    const early = this.prefetchedHead;
    this.prefetchedHead = undefined;
    const held = this.latest ?? this.unchecked;
    if (held) discardResponse(early);
    else {
      const fetched = await fetchCheckpointHead(this.http, () => this.checkpointKey(), this.userId, early);
      if (fetched.kind === "none") {
        await this.seen.checkpointCounter(0);
        return undefined;
      }
      if (fetched.kind === "head") {
        await this.seen.checkpointCounter(fetched.counter);
        performance.mark("umbra-checkpoint-head-opened");
        return new Set(fetched.head.hidden);
      }
    }
    const opened = await this.fetchOpened();
    if (opened === undefined) return undefined;
    if ("body" in opened) return new Set(opened.body.hidden);
    const parsed = HiddenOnly.safeParse(opened.json);
    if (!parsed.success) throw new InvalidResponseError("The library checkpoint does not parse");
    return new Set(parsed.data.hidden);
  }

  /** The answer to a GET of the head already sent (at login): `loadHidden` reads it instead of asking. */
  usePrefetchedHead(response: Promise<Response>): void {
    this.prefetchedHead = response;
  }

  /** The newest checkpoint: one this device already checked, or opened (authenticated) JSON to check. */
  private async fetchOpened(): Promise<
    { counter: number; body: CheckpointBody } | { counter: number; json: unknown } | undefined
  > {
    const held = this.latest ?? this.unchecked;
    const fetched = await fetchCheckpoint(this.http, () => this.checkpointKey(), this.userId, held?.counter);
    if (fetched.kind === "unchanged") {
      await this.seen.checkpointCounter(held!.counter);
      return held;
    }
    if (fetched.kind === "none") {
      await this.seen.checkpointCounter(0);
      this.latest = undefined;
      this.unchecked = undefined;
      return undefined;
    }
    await this.seen.checkpointCounter(fetched.counter);
    if (this.latest?.counter === fetched.counter) return this.latest;
    if (this.unchecked?.counter === fetched.counter) return this.unchecked;
    this.unchecked = { counter: fetched.counter, json: await fetched.open() };
    return this.unchecked;
  }

  /** Queues a change this device made; `save` writes it (with every other queued one) onto the newest checkpoint. */
  record(change: CheckpointChange): void {
    this.pending.push(change);
  }

  /** Writes queued changes: onto the newest checkpoint, retried when another device wrote first. */
  async save(): Promise<void> {
    while (this.saving) await this.saving;
    if (this.pending.length === 0) return;
    this.saving = this.saveNow().finally(() => {
      this.saving = undefined;
    });
    await this.saving;
  }

  private async saveNow(): Promise<void> {
    const changes = this.pending.splice(0);
    for (let attempt = 0; ; attempt++) {
      const base = this.latest ?? (await this.load());
      if (!base) {
        // No checkpoint yet: the first one is made from a synced state (see `verify`); keep the changes for it.
        this.pending.unshift(...changes);
        return;
      }
      const body: CheckpointBody = structuredClone(base.body);
      for (const change of changes) change(body);
      try {
        await this.put(base.counter + 1, body);
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.code === "CHECKPOINT_CONFLICT") || attempt >= 5) {
          this.pending.unshift(...changes);
          throw error;
        }
        this.latest = undefined;
        this.unchecked = undefined;
      }
    }
  }

  private async put(counter: number, body: CheckpointBody): Promise<void> {
    const key = await this.checkpointKey();
    const sealed = await sealCheckpoint(key, this.userId, counter, paddedJson(body));
    const head = await sealedHeadOf(key, this.userId, counter, body.hidden);
    await this.http.json("/api/library/checkpoint", PutCheckpointResponse, {
      method: "PUT",
      body: { counter, checkpoint: toBase64Url(sealed), head },
    });
    await this.seen.checkpointCounter(counter);
    this.latest = { counter, body };
    this.unchecked = undefined;
  }

  /** A digest made elsewhere of this exact metadata (the worker that opened it): `verify` need not hash it. */
  digested(fileId: string, encrypted: string, digest: string): void {
    this.digests.set(fileId, { encrypted, digest });
  }

  private async digestOf(fileId: string, encrypted: string): Promise<string> {
    const known = this.digests.get(fileId);
    if (known?.encrypted === encrypted) return known.digest;
    const digest = await metadataDigest(encrypted);
    this.digests.set(fileId, { encrypted, digest });
    return digest;
  }

  /** The checkpoint of a state this device takes as it is: only when the account has none yet (first use). */
  private async bodyOf(state: SyncState): Promise<CheckpointBody> {
    const body: CheckpointBody = {
      v: 1,
      files: {},
      albums: {},
      shared: this.latest?.body.shared ?? {},
      hidden: this.latest?.body.hidden ?? [],
    };
    for (const album of Object.values(state.albums)) body.albums[album.id] = album.keyVersion ?? 1;
    let i = 0;
    for (const file of Object.values(state.files)) {
      await yieldEvery(i++);
      body.files[file.id] = [
        await this.digestOf(file.id, file.encryptedMetadata),
        file.trashedAt === null ? 0 : Date.parse(file.trashedAt) || 1,
        file.albums.map((a) => a.albumId).filter((id) => state.albums[id] !== undefined),
      ];
    }
    return body;
  }

  /**
   * Compares a synced state with the newest checkpoint; creates the first checkpoint from it when the account has
   * none. Differences are warned about (LIBRARY_MISMATCH) and returned, so a view can show what the user did.
   */
  async verify(
    state: SyncState,
    options: { warn?: boolean } = {},
  ): Promise<{ body: CheckpointBody | undefined; found: LibraryDiscrepancies }> {
    const found = noDiscrepancies();
    await this.save();
    let current = await this.load();
    if (!current) {
      try {
        await this.put(1, await this.bodyOf(state));
        if (this.pending.length > 0) await this.save();
        return { body: this.latest?.body, found };
      } catch (error) {
        // Another device (or a concurrent sync here) made the first one: compare against it instead.
        if (!(error instanceof ApiError && error.code === "CHECKPOINT_CONFLICT")) throw error;
        current = await this.load();
        if (!current) throw error;
      }
    }
    const { body } = current;
    const sweptBefore = Date.now() - (this.trashDays - 1) * DAY_MS;
    let i = 0;
    for (const [id, [digest, trashedAt, albums]] of Object.entries(body.files)) {
      await yieldEvery(i++);
      const record = state.files[id];
      if (!record) {
        // The server empties old trash by itself: those may go without anyone's action.
        if (!(trashedAt > 0 && trashedAt < sweptBefore)) found.hidden.push(id);
        continue;
      }
      if ((await this.digestOf(id, record.encryptedMetadata)) !== digest) found.changed.push(id);
      if ((record.trashedAt !== null) !== trashedAt > 0) found.trash.push(id);
      const listed = record.albums.map((a) => a.albumId).filter((a) => state.albums[a] !== undefined);
      if (listed.length !== albums.length || listed.some((a) => !albums.includes(a)))
        found.placements.push(id);
    }
    for (const id of Object.keys(state.files)) if (!body.files[id]) found.unexpected.push(id);
    for (const [id, version] of Object.entries(body.albums)) {
      const album = state.albums[id];
      if (!album || (album.keyVersion ?? 1) < version) found.albums.push(id);
    }
    // An album the devices never made or already deleted (brought back by the server).
    for (const id of Object.keys(state.albums)) if (!body.albums[id]) found.albums.push(id);
    if (options.warn !== false) this.warn(found);
    return { body, found };
  }

  private warn(found: LibraryDiscrepancies): void {
    const say = (ids: string[], one: string, many: string) => {
      if (ids.length === 0) return;
      this.warnings.emit({
        code: "LIBRARY_MISMATCH",
        message:
          ids.length === 1 ? `1 item of your library ${one}` : `${ids.length} items of your library ${many}`,
        subject: ids.slice(0, 20).join(","),
      });
    };
    say(
      found.hidden,
      "that your devices recorded is missing from the server's listing (hidden or deleted by it)",
      "that your devices recorded are missing from the server's listing (hidden or deleted by it)",
    );
    say(
      found.unexpected,
      "listed by the server was never recorded by your devices (injected or brought back)",
      "listed by the server were never recorded by your devices (injected or brought back)",
    );
    say(
      found.changed,
      "has another name or other details than your devices last recorded (an older version is served)",
      "have other names or details than your devices last recorded (an older version is served)",
    );
    say(
      found.trash,
      "is in the trash, or out of it, without your devices having done it",
      "are in the trash, or out of it, without your devices having done it",
    );
    say(
      found.placements,
      "is in other albums (or favorites) than your devices placed it in",
      "are in other albums (or favorites) than your devices placed them in",
    );
    say(
      found.albums,
      "is an album hidden, brought back, or served with an older key than your devices recorded",
      "are albums hidden, brought back, or served with an older key than your devices recorded",
    );
  }

  /**
   * Replaces the checkpoint with a synced state, on the user's word only ("these are my files"): after a change
   * whose checkpoint save was lost (a device that went offline mid-way), the differences are the user's own.
   */
  async adopt(state: SyncState): Promise<void> {
    await this.save().catch(() => undefined);
    const current = await this.load();
    await this.put((current?.counter ?? 0) + 1, await this.bodyOf(state));
  }

  /** Whether the newest loaded checkpoint records the file in this own album (placed there by the user). */
  vouchesForPlacement(fileId: string, albumId: string): boolean {
    return this.latest?.body.files[fileId]?.[2].includes(albumId) ?? false;
  }

  /**
   * The album key versions the checkpoint vouches for, own albums and albums shared with the user: a floor for
   * every album's key on every device (KEY_ROLLBACK below it).
   */
  albumFloors(): Record<string, number> {
    return { ...this.latest?.body.shared, ...this.latest?.body.albums };
  }

  /** Whether a checkpoint was read or written here (else there is none yet, or it was not loaded). */
  holdsOne(): boolean {
    return this.latest !== undefined;
  }

  /** The albums the user hid, as the newest loaded checkpoint records them (the server never sees this). */
  hiddenAlbums(): ReadonlySet<string> {
    return new Set(this.latest?.body.hidden ?? []);
  }

  /** The highest key version of a shared album the checkpoint records (0 if none). */
  sharedFloor(albumId: string): number {
    return this.latest?.body.shared[albumId] ?? 0;
  }

  /** Trash state per file as the checkpoint records it (the user's doing, not the server's say). */
  private vouchedTrash = new Map<string, boolean>();
  /** What the last check found (empty lists when the server's view matched). */
  discrepancies: LibraryDiscrepancies | undefined;

  /**
   * Checks a synced state (creating the first checkpoint on first use). A difference is checked once more after
   * a fresh pull (another device may be between its change and its checkpoint) before it is reported. Album key
   * versions the checkpoint vouches for become floors (KEY_ROLLBACK below them). A checkpoint that goes back or
   * fails to open is itself the finding: warned about, and the library stays usable.
   */
  async check(state: SyncState, recheck?: () => Promise<SyncState>): Promise<LibraryDiscrepancies> {
    let result: Awaited<ReturnType<LibraryCheckpoint["verify"]>>;
    try {
      result = await this.verify(state, { warn: recheck === undefined });
      const differs = Object.values(result.found).some((ids) => ids.length > 0);
      if (differs && recheck) result = await this.verify(await recheck(), { warn: true });
    } catch (error) {
      const code = errorCode(error);
      if (code !== "SYNC_ROLLBACK" && code !== "TAMPERED" && code !== "INVALID_RESPONSE") throw error;
      if (code !== "SYNC_ROLLBACK") {
        this.warnings.emit({
          code: "LIBRARY_MISMATCH",
          message: `The server's copy of your library checkpoint fails verification: ${(error as Error).message}`,
        });
      }
      this.discrepancies = noDiscrepancies();
      return this.discrepancies;
    }
    for (const [albumId, version] of Object.entries(this.albumFloors()))
      await this.seen.raiseAlbumKeyVersion(albumId, version);
    this.vouchedTrash = new Map(
      Object.entries(result.body?.files ?? {}).map(([id, entry]) => [id, entry[1] > 0]),
    );
    this.discrepancies = result.found;
    return result.found;
  }

  /** Whether a file is in the trash: as the checkpoint says when it knows the file, else as the server says. */
  isTrashed(record: { id: string; trashedAt: string | null }): boolean {
    return this.vouchedTrash.get(record.id) ?? record.trashedAt !== null;
  }

  /** This device just trashed or restored a file: the view follows before the next check. */
  noteTrash(fileId: string, trashed: boolean): void {
    this.vouchedTrash.set(fileId, trashed);
  }
}
