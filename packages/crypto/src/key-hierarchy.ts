import { albumKeyContext, fileKeyContext } from "./key-context.js";
import { unwrapKey, wrapKey } from "./wrap.js";

/**
 * An album key wrapped by the owner's master key (`AlbumRecord.wrappedAlbumKey`); from generation 2 on the
 * generation (key version) is bound in, so the server cannot pass an older key off as the current one.
 */
export function wrapAlbumKey(
  masterKey: Uint8Array,
  albumKey: Uint8Array,
  userId: string,
  albumId: string,
  generation = 1,
): Promise<Uint8Array> {
  return wrapKey(masterKey, albumKey, albumKeyContext(userId, albumId, generation));
}

export function unwrapAlbumKey(
  masterKey: Uint8Array,
  wrapped: Uint8Array,
  userId: string,
  albumId: string,
  generation = 1,
): Promise<Uint8Array> {
  return unwrapKey(masterKey, wrapped, albumKeyContext(userId, albumId, generation));
}

/** A file key wrapped by the key of one album holding the file (one wrap per album: `albums[].wrappedFileKey`). */
export function wrapFileKey(
  albumKey: Uint8Array,
  fileKey: Uint8Array,
  albumId: string,
  fileId: string,
): Promise<Uint8Array> {
  return wrapKey(albumKey, fileKey, fileKeyContext(albumId, fileId));
}

export function unwrapFileKey(
  albumKey: Uint8Array,
  wrapped: Uint8Array,
  albumId: string,
  fileId: string,
): Promise<Uint8Array> {
  return unwrapKey(albumKey, wrapped, fileKeyContext(albumId, fileId));
}
