import type { LibraryCheckpoint } from "./library-checkpoint.js";
import type { KeyValueStore } from "./store.js";

/** Where a device keeps the hidden albums it last saw (album ids only), to hide them while a sync runs. */
const HIDDEN_ALBUMS_KEY = "view:hidden-albums";

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The albums the user hid: the sealed checkpoint holds the truth (SPEC §15); this device keeps a copy of the
 * ids so a view can leave them out before the checkpoint is read.
 */
export class HiddenAlbums {
  private kept: ReadonlySet<string> | undefined;

  constructor(
    private readonly checkpoint: LibraryCheckpoint,
    private readonly store: KeyValueStore,
  ) {}

  /** The checkpoint's list once read, else as this device last saw it. */
  current(): ReadonlySet<string> {
    return this.checkpoint.holdsOne() ? this.checkpoint.hiddenAlbums() : (this.kept ?? new Set());
  }

  /** As this device last saw them, else read from the checkpoint now. */
  async beforeSync(): Promise<ReadonlySet<string>> {
    if (this.checkpoint.holdsOne()) return this.current();
    const kept = await this.store.get(HIDDEN_ALBUMS_KEY);
    const ids: unknown = kept === undefined ? undefined : safeJson(kept);
    if (Array.isArray(ids)) this.kept = new Set(ids.filter((id): id is string => typeof id === "string"));
    else this.kept = await this.checkpoint.loadHidden().catch(() => undefined);
    return this.current();
  }

  /** Keeps the checkpoint's list on this device (after a check or a change). */
  async remember(): Promise<void> {
    if (this.checkpoint.holdsOne())
      await this.store.set(HIDDEN_ALBUMS_KEY, JSON.stringify([...this.checkpoint.hiddenAlbums()]));
  }
}
