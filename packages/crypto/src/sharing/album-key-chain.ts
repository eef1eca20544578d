import { InvalidInputError } from "../errors.js";
import type { KeyContext } from "../key-context.js";
import { type RandomSource, systemRandom } from "../random.js";
import { unwrapKey, wrapKeyWith } from "../wrap.js";
import { assertKeyVersion } from "./album-key-seal.js";

/**
 * Album key `version` wrapped by the album's next key: purpose "album-key", ownerId = the album (whose newer key
 * wraps), objectId = "<albumId>/v<version>". Owner wraps always have a user id as ownerId, so the two never collide.
 */
export function albumKeyChainContext(albumId: string, version: number): KeyContext {
  assertKeyVersion(version);
  if (typeof albumId !== "string" || albumId.length === 0) throw new InvalidInputError("Missing album id");
  return { purpose: "album-key", ownerId: albumId, objectId: `${albumId}/v${version}` };
}

/** Internal: wrapPreviousAlbumKey with an injected random source (draws: one IV). */
export function wrapPreviousAlbumKeyWith(
  random: RandomSource,
  newAlbumKey: Uint8Array,
  previousAlbumKey: Uint8Array,
  albumId: string,
  previousVersion: number,
): Promise<Uint8Array> {
  return wrapKeyWith(random, newAlbumKey, previousAlbumKey, albumKeyChainContext(albumId, previousVersion));
}

/** Wraps the key of `previousVersion` under the album's new key (done once per rotation, by the owner). */
export function wrapPreviousAlbumKey(
  newAlbumKey: Uint8Array,
  previousAlbumKey: Uint8Array,
  albumId: string,
  previousVersion: number,
): Promise<Uint8Array> {
  return wrapPreviousAlbumKeyWith(systemRandom, newAlbumKey, previousAlbumKey, albumId, previousVersion);
}

/** Recovers the key of `previousVersion` from the next key; a wrong key, album or version → TAMPERED. */
export function unwrapPreviousAlbumKey(
  newerAlbumKey: Uint8Array,
  wrapped: Uint8Array,
  albumId: string,
  previousVersion: number,
): Promise<Uint8Array> {
  return unwrapKey(newerAlbumKey, wrapped, albumKeyChainContext(albumId, previousVersion));
}
