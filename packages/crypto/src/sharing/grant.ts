import { sha256 } from "@noble/hashes/sha2.js";
import { assertIdField, encodeAssociatedData } from "../associated-data.js";
import { toBase64Url } from "../bytes.js";
import { InvalidInputError, TamperedError, UnsupportedVersionError } from "../errors.js";
import { assertKeyVersion, assertShareRole, type ShareRole } from "./album-key-seal.js";
import { assertSignature, signToBase64Url } from "./ed25519.js";

export const GRANT_LABEL = "umbra/v1/album-grant";
// Canonical UTC timestamp as produced by Date.prototype.toISOString(): one spelling per instant.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The fields a grant signs. */
export interface AlbumGrantFields {
  albumId: string;
  granteeUserId: string;
  role: ShareRole;
  keyVersion: number;
  /** `sealedKeyDigest(sealedAlbumKey)`. */
  sealedKeyDigest: string;
  /** The granting member's user id; the verifier must use this user's (pinned) signing key. */
  grantedBy: string;
  /** `new Date().toISOString()` form. */
  issuedAt: string;
}

export interface SignedAlbumGrant extends AlbumGrantFields {
  version: 1;
  signature: string;
}

/** SHA-256 of the sealed album key, base64url: the grant commits to exactly one sealed key. */
export function sealedKeyDigest(sealedAlbumKey: Uint8Array): string {
  if (!(sealedAlbumKey instanceof Uint8Array))
    throw new InvalidInputError("The sealed key must be a Uint8Array");
  return toBase64Url(sha256(sealedAlbumKey));
}

/** `enc("umbra/v1/album-grant", "1", albumId, granteeUserId, role, keyVersion, sealedKeyDigest, grantedBy, issuedAt)`. */
export function grantMessage(fields: AlbumGrantFields): Uint8Array {
  if (typeof fields !== "object" || fields === null) throw new InvalidInputError("Missing grant");
  assertIdField(fields.albumId, "albumId");
  assertIdField(fields.granteeUserId, "granteeUserId");
  assertShareRole(fields.role);
  assertKeyVersion(fields.keyVersion);
  if (typeof fields.sealedKeyDigest !== "string" || fields.sealedKeyDigest.length !== 43) {
    throw new InvalidInputError("sealedKeyDigest must be a base64url SHA-256 digest");
  }
  assertIdField(fields.grantedBy, "grantedBy");
  if (typeof fields.issuedAt !== "string" || !ISO_INSTANT.test(fields.issuedAt)) {
    throw new InvalidInputError("issuedAt must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:mm:ss.sssZ)");
  }
  return encodeAssociatedData([
    GRANT_LABEL,
    "1",
    fields.albumId,
    fields.granteeUserId,
    fields.role,
    String(fields.keyVersion),
    fields.sealedKeyDigest,
    fields.grantedBy,
    fields.issuedAt,
  ]);
}

function grantFields(grant: AlbumGrantFields): AlbumGrantFields {
  const { albumId, granteeUserId, role, keyVersion, sealedKeyDigest, grantedBy, issuedAt } = grant;
  return { albumId, granteeUserId, role, keyVersion, sealedKeyDigest, grantedBy, issuedAt };
}

export async function signGrant(
  signingPrivateKey: Uint8Array,
  fields: AlbumGrantFields,
): Promise<SignedAlbumGrant> {
  const own = grantFields(fields);
  const signature = await signToBase64Url(signingPrivateKey, grantMessage(own));
  return { version: 1, ...own, signature };
}

/**
 * Checks a grant against the signing key of `grant.grantedBy` (taken from that user's verified, pinned bundle)
 * and, when given, the sealed key it must commit to. Bad signature or other sealed key → TAMPERED.
 */
export async function verifyGrant(
  grant: unknown,
  grantorSigningPublicKey: Uint8Array,
  sealedAlbumKey?: Uint8Array,
): Promise<SignedAlbumGrant> {
  if (typeof grant !== "object" || grant === null) throw new InvalidInputError("Missing grant");
  const record = grant as SignedAlbumGrant;
  if (record.version !== 1)
    throw new UnsupportedVersionError(`Unsupported grant version ${String(record.version)}`);
  const fields = grantFields(record);
  await assertSignature(grantorSigningPublicKey, record.signature, grantMessage(fields), "The grant");
  if (sealedAlbumKey !== undefined && sealedKeyDigest(sealedAlbumKey) !== fields.sealedKeyDigest) {
    throw new TamperedError("The sealed album key is not the one the grant was signed for");
  }
  return { version: 1, ...fields, signature: record.signature };
}
