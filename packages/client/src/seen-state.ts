import { UmbraClientError } from "./errors.js";
import type { KeyValueStore } from "./store.js";
import type { Warnings } from "./warnings.js";

const PREFIX = "trust:";

/** The server served an older album key (or grant) than this device has already seen. */
export class KeyRollbackError extends UmbraClientError {
  constructor(
    readonly albumId: string,
    readonly served: number,
    readonly seen: number,
  ) {
    super(
      "KEY_ROLLBACK",
      `The server served key version ${served} of album ${albumId}, but this device has seen version ${seen}: ` +
        "it may be trying to undo a member's removal. Nothing was encrypted under the old key.",
    );
    this.name = "KeyRollbackError";
  }
}

/** The server went back to an older state of the library than this device has seen. */
export class SyncRollbackError extends UmbraClientError {
  constructor(message: string) {
    super("SYNC_ROLLBACK", message);
    this.name = "SyncRollbackError";
  }
}

/**
 * What this device has seen and must never see go back: album key versions (owner records and member grants),
 * the library checkpoint's counter, and which rotated albums already carry a generation-bound wrap. Kept in
 * the local store (`trust:*`), so it survives restarts wherever the store does.
 */
export class SeenState {
  private readonly cache = new Map<string, number>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly warnings: Warnings,
  ) {}

  private async read(key: string): Promise<number> {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const raw = await this.store.get(PREFIX + key);
    const value = raw === undefined ? 0 : Number(raw);
    this.cache.set(key, Number.isFinite(value) ? value : 0);
    return this.cache.get(key)!;
  }

  private async raise(key: string, value: number): Promise<void> {
    this.cache.set(key, value);
    await this.store.set(PREFIX + key, String(value));
  }

  /** An album key version about to be used (owner's record or member's grant): refused when lower than seen. */
  async albumKeyVersion(albumId: string, version: number): Promise<void> {
    const key = `album-key-version:${albumId}`;
    const seen = await this.read(key);
    if (version < seen) {
      const error = new KeyRollbackError(albumId, version, seen);
      this.warnings.emit({ code: "KEY_ROLLBACK", message: error.message, subject: albumId });
      throw error;
    }
    if (version > seen) await this.raise(key, version);
  }

  /** Raises an album's floor to a version vouched for elsewhere (the library checkpoint); never lowers it. */
  async raiseAlbumKeyVersion(albumId: string, version: number): Promise<void> {
    const key = `album-key-version:${albumId}`;
    if (version > (await this.read(key))) await this.raise(key, version);
  }

  /** The highest key version of an album this device has seen (0 if none). */
  highestKeyVersion(albumId: string): Promise<number> {
    return this.read(`album-key-version:${albumId}`);
  }

  /** Whether this device saw the album's generation-bound wrap (after which a legacy wrap is refused). */
  async boundWrapSeen(albumId: string): Promise<boolean> {
    return (await this.read(`album-wrap-bound:${albumId}`)) > 0;
  }

  async markBoundWrap(albumId: string): Promise<void> {
    if (!(await this.boundWrapSeen(albumId))) await this.raise(`album-wrap-bound:${albumId}`, 1);
  }

  /** A library checkpoint counter read from the server: refused when lower than seen. */
  async checkpointCounter(counter: number): Promise<void> {
    const seen = await this.read("checkpoint-counter");
    if (counter < seen) {
      const error = new SyncRollbackError(
        `The server served an older state of your library (checkpoint ${counter}) than this device has seen ` +
          `(${seen}): changes made since may be hidden from this view.`,
      );
      this.warnings.emit({ code: "SYNC_ROLLBACK", message: error.message });
      throw error;
    }
    if (counter > seen) await this.raise("checkpoint-counter", counter);
  }
}
