import { fromBase64Url } from "@umbra/crypto";
import { type Identity, openAlbumKey, verifyGrant } from "@umbra/crypto/sharing";
import type { SharedAlbum } from "@umbra/protocol";
import type { AlbumKeyRing } from "./album-keys.js";
import { checkpointChanges } from "./checkpoint-body.js";
import { UmbraClientError } from "./errors.js";
import type { Library } from "./library.js";

export interface MembershipDeps {
  userId: string;
  library: Library;
  keyRing: AlbumKeyRing;
  identity: () => Promise<Identity>;
}

/**
 * The key of an album shared with us, only if its membership is ours, not older than what our devices saw, and
 * its grant is signed by the owner for exactly this album, member, role and key version.
 */
export async function openMembership(
  deps: MembershipDeps,
  album: SharedAlbum,
  signingKeyOf: (userId: string) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const { membership } = album;
  if (membership.userId !== deps.userId || album.ownerId === deps.userId) {
    throw new UmbraClientError("TAMPERED", "The membership names someone else");
  }
  // A grant older than one this device (or, through the checkpoint, another of the user's) has seen is a
  // rollback (a removal being undone): refused.
  const { library } = deps;
  await library.seen.albumKeyVersion(album.id, membership.keyVersion);
  // The checkpoint is made from a synced library: sync once first if this session has not.
  if (!library.state) await library.sync();
  if (membership.keyVersion > library.checkpoint.sharedFloor(album.id)) {
    library.checkpoint.record(checkpointChanges.sharedAlbumOpened(album.id, membership.keyVersion));
    await library.checkpoint.save();
  }
  const known = deps.keyRing.peek(album.id, membership.keyVersion);
  if (known) return known;
  const sealed = fromBase64Url(membership.sealedAlbumKey);
  const ownerKey = await signingKeyOf(album.ownerId);
  const grant = await verifyGrant(membership.grant, ownerKey, sealed);
  if (
    grant.albumId !== album.id ||
    grant.granteeUserId !== deps.userId ||
    grant.grantedBy !== album.ownerId ||
    grant.role !== membership.role ||
    grant.keyVersion !== membership.keyVersion
  ) {
    throw new UmbraClientError("TAMPERED", "The grant does not match the album it came with");
  }
  const identity = await deps.identity();
  const key = await openAlbumKey(identity.hpke.privateKey, sealed, {
    albumId: album.id,
    recipientUserId: deps.userId,
    senderUserId: album.ownerId,
    role: membership.role,
    keyVersion: membership.keyVersion,
  });
  deps.keyRing.set(album.id, membership.keyVersion, key);
  return key;
}
