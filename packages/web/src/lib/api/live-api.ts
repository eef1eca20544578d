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
 * Syncs, then brings the app's view of our live files up to date: recordings started elsewhere appear (LIVE),
 * those that finished since become ordinary videos.
 */
export async function syncLiveItems(): Promise<void> {
  const state = await sdk().library.sync();
  for (const record of Object.values(state.files)) {
    const shown = vault.byId(record.id);
    if (record.trashedAt) continue;
    if ((shown?.live === true) !== (record.live === true) || (!shown && record.live))
      await reloadItem(record.id).catch(() => undefined);
  }
}

/** Our own files the server lists as live: recordings under way here, on another device, or cut off. */
export function ownLiveFileIds(): string[] {
  const files = sdk().library.state?.files ?? {};
  return Object.values(files)
    .filter((record) => record.live === true)
    .map((record) => record.id);
}
