import { assertIdField, encodeAssociatedData } from "../associated-data.js";
import { concatBytes, utf8Encode } from "../bytes.js";
import { assertKey32 } from "../envelope.js";
import { InvalidInputError, TamperedError, UnsupportedVersionError } from "../errors.js";
import type { RandomSource } from "../random.js";
import { hpkeOpen, hpkeSeal, X_WING_ENC_LENGTH } from "./x-wing.js";

export const SEALED_ALBUM_KEY_VERSION = 0x01;
/** HPKE `info`: fixed, short (the library caps info at 128 bytes); the per-share binding goes in the AAD. */
export const SEALED_ALBUM_KEY_INFO = "umbra/v1/sealed-album-key";
const TAG_LENGTH = 16;
/** 0x01 ‖ enc(1120) ‖ ciphertext(32) ‖ tag(16). */
export const SEALED_ALBUM_KEY_LENGTH = 1 + X_WING_ENC_LENGTH + 32 + TAG_LENGTH;

export const SHARE_ROLES = ["viewer", "contributor"] as const;
export type ShareRole = (typeof SHARE_ROLES)[number];

/** What a sealed album key is for; every field is bound into the HPKE associated data. */
export interface AlbumKeyShareContext {
  albumId: string;
  recipientUserId: string;
  senderUserId: string;
  role: ShareRole;
  /** Album key generation (bumped when a member is removed and the key is rotated): integer ≥ 1. */
  keyVersion: number;
}

export function assertShareRole(role: unknown): asserts role is ShareRole {
  if (!SHARE_ROLES.includes(role as ShareRole))
    throw new InvalidInputError(`Unknown role ${JSON.stringify(role)}`);
}

export function assertKeyVersion(keyVersion: unknown): asserts keyVersion is number {
  if (typeof keyVersion !== "number" || !Number.isSafeInteger(keyVersion) || keyVersion < 1) {
    throw new InvalidInputError("keyVersion must be an integer of at least 1");
  }
}

/** AAD = `enc("umbra/v1/sealed-album-key", albumId, recipientUserId, senderUserId, role, decimal keyVersion)`. */
export function albumKeyShareAssociatedData(context: AlbumKeyShareContext): Uint8Array {
  if (typeof context !== "object" || context === null) throw new InvalidInputError("Missing share context");
  assertIdField(context.albumId, "albumId");
  assertIdField(context.recipientUserId, "recipientUserId");
  assertIdField(context.senderUserId, "senderUserId");
  assertShareRole(context.role);
  assertKeyVersion(context.keyVersion);
  return encodeAssociatedData([
    SEALED_ALBUM_KEY_INFO,
    context.albumId,
    context.recipientUserId,
    context.senderUserId,
    context.role,
    String(context.keyVersion),
  ]);
}

/** Internal: sealAlbumKey with injected encapsulation randomness (test vectors only). */
export async function sealAlbumKeyWith(
  random: RandomSource | undefined,
  recipientHpkePublicKey: Uint8Array,
  albumKey: Uint8Array,
  context: AlbumKeyShareContext,
): Promise<Uint8Array> {
  assertKey32(albumKey, "The album key");
  const associatedData = albumKeyShareAssociatedData(context);
  const { enc, ciphertext } = await hpkeSeal(
    random,
    recipientHpkePublicKey,
    albumKey,
    utf8Encode(SEALED_ALBUM_KEY_INFO),
    associatedData,
  );
  return concatBytes(Uint8Array.of(SEALED_ALBUM_KEY_VERSION), enc, ciphertext);
}

/** Seals an album key to a recipient's X-Wing public key (HPKE base mode), bound to `context`. 1169 bytes. */
export function sealAlbumKey(
  recipientHpkePublicKey: Uint8Array,
  albumKey: Uint8Array,
  context: AlbumKeyShareContext,
): Promise<Uint8Array> {
  return sealAlbumKeyWith(undefined, recipientHpkePublicKey, albumKey, context);
}

/** Opens a sealed album key. Wrong recipient, other context or modified bytes → TAMPERED. */
export async function openAlbumKey(
  recipientHpkePrivateKey: Uint8Array,
  sealed: Uint8Array,
  context: AlbumKeyShareContext,
): Promise<Uint8Array> {
  const associatedData = albumKeyShareAssociatedData(context);
  if (!(sealed instanceof Uint8Array)) throw new InvalidInputError("The sealed key must be a Uint8Array");
  if (sealed.length === 0) throw new TamperedError("The sealed key is empty");
  if (sealed[0] !== SEALED_ALBUM_KEY_VERSION) {
    throw new UnsupportedVersionError(`Unsupported sealed key version ${sealed[0]}`);
  }
  if (sealed.length !== SEALED_ALBUM_KEY_LENGTH)
    throw new TamperedError("The sealed key has the wrong length");
  return hpkeOpen(
    recipientHpkePrivateKey,
    sealed.subarray(1, 1 + X_WING_ENC_LENGTH),
    sealed.subarray(1 + X_WING_ENC_LENGTH),
    utf8Encode(SEALED_ALBUM_KEY_INFO),
    associatedData,
  );
}
