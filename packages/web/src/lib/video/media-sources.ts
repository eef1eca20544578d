import { libraryMediaStream, type MediaStreamSource } from "@umbra/client";
import { appApi } from "../api/app-api.js";
import type { LibraryItem } from "../state/media-types.js";

/** A timeline item's stream: one of the user's files, or a file of an album shared with them. */
export function itemMediaSource(item: LibraryItem): Promise<MediaStreamSource> {
  const sdk = appApi.sdk;
  if (item.shared) return sdk.sharedFiles.mediaStream(item.shared.albumId, item.id);
  return libraryMediaStream(sdk.http, sdk.library, item.id);
}

/** A file of a shared album, opened from that album's page (its placement signature verified). */
export function sharedAlbumMediaSource(albumId: string, fileId: string): Promise<MediaStreamSource> {
  return appApi.sdk.sharedFiles.mediaStream(albumId, fileId);
}
