import type { FileMetadata, SyncState } from "@umbra/client";
import type { LibraryItem } from "./media-types.js";

/** A file record as synced from the server (ciphertext and ids only). */
export type FileRecord = SyncState["files"][string];

/**
 * The app's view of one decrypted file; `favorite` is membership of the Favorites album. `trashed` is the trash
 * state the user's devices vouch for (the SDK's `isTrashed`), not the server's `trashedAt`, which it may forge.
 */
export function toLibraryItem(
  record: FileRecord,
  metadata: FileMetadata,
  favoritesId: string | undefined,
  trashed: boolean,
): LibraryItem {
  const modified = typeof metadata.extra?.modifiedAt === "string" ? metadata.extra.modifiedAt : undefined;
  const time = [metadata.takenAt, modified, record.createdAt]
    .map((t) => (t ? Date.parse(t) : Number.NaN))
    .find((t) => Number.isFinite(t));
  const albumIds = record.albums.map((a) => a.albumId);
  return {
    id: record.id,
    meta: metadata,
    time: time ?? 0,
    albumIds,
    // A file our devices trashed that the server shows restored keeps a date: the record's last change.
    trashedAt: trashed ? (record.trashedAt ?? record.updatedAt) : null,
    contentSize: record.contentSize,
    favorite: favoritesId !== undefined && albumIds.includes(favoritesId),
    ...(record.live && { live: true }),
  };
}

/** The timeline's order: capture time, newest first; the id breaks ties so every load gives the same order. */
export function newestFirst(a: LibraryItem, b: LibraryItem): number {
  return b.time - a.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Merges two lists each sorted by `order` into one sorted list, in linear time. */
export function mergeSorted<T>(a: readonly T[], b: readonly T[], order: (x: T, y: T) => number): T[] {
  const out: T[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = order(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
