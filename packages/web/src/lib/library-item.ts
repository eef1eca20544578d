import type { FileMetadata, SyncState } from "@umbra/client";
import type { LibraryItem } from "./media-types.js";

/** A file record as synced from the server (ciphertext and ids only). */
export type FileRecord = SyncState["files"][string];

/** The app's view of one decrypted file; `favorite` is membership of the Favorites album. */
export function toLibraryItem(
  record: FileRecord,
  metadata: FileMetadata,
  favoritesId: string | undefined,
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
    trashedAt: record.trashedAt,
    contentSize: record.contentSize,
    favorite: favoritesId !== undefined && albumIds.includes(favoritesId),
  };
}

/** The timeline's order: capture time, newest first; the id breaks ties so every load gives the same order. */
export function newestFirst(a: LibraryItem, b: LibraryItem): number {
  return b.time - a.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
