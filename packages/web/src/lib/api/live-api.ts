import type {
  LiveReader,
  LiveStartOptions,
  LiveUpload,
  RecoveredRecording,
  UmbraClient,
} from "@umbra/client";
import type { LibraryItem } from "../state/media-types.js";
import { vault } from "../state/vault.svelte.js";

export type { LiveReader, LiveUpload, RecoveredRecording };

/** Live recordings go straight to the SDK (vault.api.sdk), like sharing: client.live. */
function sdk(): UmbraClient {
  return vault.api.sdk;
}

/** Creates the live file (seen at once by our other devices and the album's members) and returns its upload. */
export function startLiveUpload(options: LiveStartOptions): Promise<LiveUpload> {
  return sdk().live.start(options);
}

/** Finishes this account's recordings that stopped sending (a closed tab, a lost network) with what was kept. */
export function recoverInterruptedRecordings(options?: {
  olderThanMs?: number;
}): Promise<RecoveredRecording[]> {
  return sdk().live.recover(options);
}

/** The plaintext of a file, live or finished, in order (each segment authenticated first). */
export function openLive(fileId: string, albumId?: string): Promise<LiveReader> {
  return sdk().live.open(fileId, albumId === undefined ? undefined : { albumId });
}

/** Plaintext bytes start..endInclusive of one of our own finished files (only the covering segments are fetched). */
export function readOwnRange(fileId: string, start: number, endInclusive: number): Promise<Uint8Array> {
  return sdk().downloadRange(fileId, start, endInclusive);
}

/** A file as the app shows it after the server changed it (a recording that finished): synced, then decrypted. */
export async function reloadItem(fileId: string): Promise<LibraryItem> {
  await sdk().library.sync();
  const item = await vault.api.item(fileId);
  vault.added(item);
  return item;
}

/**
 * Syncs (unless `synced`: the library loaded just now), then brings the app's view of our live files up to date:
 * recordings started elsewhere appear (LIVE), those that finished since become ordinary videos.
 */
export async function syncLiveItems(synced = false): Promise<void> {
  const library = sdk().library;
  // A sync checks the whole library against its checkpoint: at 100,000 files, not twice in a row for nothing.
  const state = synced && library.state ? library.state : await library.sync();
  // Only files the server or the view calls live can differ: not a lookup per file of a large library.
  const candidates = new Set(vault.items.filter((item) => item.live === true).map((item) => item.id));
  for (const record of Object.values(state.files)) if (record.live === true) candidates.add(record.id);
  for (const id of candidates) {
    const record = state.files[id];
    if (!record || record.trashedAt) continue;
    const shown = vault.byId(id);
    if ((shown?.live === true) !== (record.live === true) || (!shown && record.live))
      await reloadItem(id).catch(() => undefined);
  }
}

/** Our own files the server lists as live: recordings under way here, on another device, or cut off. */
export function ownLiveFileIds(): string[] {
  const files = sdk().library.state?.files ?? {};
  return Object.values(files)
    .filter((record) => record.live === true)
    .map((record) => record.id);
}
