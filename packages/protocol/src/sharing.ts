import { LINK_ID_PATTERN } from "@umbra/crypto/formats";
import { z } from "zod";
import { AlbumId, base64Url, FileId, UserId } from "./ids.js";
import { LinkKdfParams } from "./kdf.js";

/** Public link ids are derived from the link secret (`@umbra/crypto/formats` owns the shape; re-exported for the wire). */
export { LINK_ID_PATTERN };
export const LinkId = z.string().regex(LINK_ID_PATTERN, "expected a link id (l_ + 22 base64url characters)");

const Digest = base64Url(43, 43);
const Signature = base64Url(86, 86);
const Instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, "expected an ISO 8601 UTC instant");

/** A user's self-signed public keys (SPEC §17.2); the server stores and serves it unread. */
export const PublicKeyBundleWire = z.object({
  version: z.literal(1),
  userId: UserId,
  hpkePublicKey: base64Url(1700, 1600),
  signingPublicKey: base64Url(43, 43),
  signature: Signature,
});
export type PublicKeyBundleWire = z.infer<typeof PublicKeyBundleWire>;

/** Both identity private keys wrapped by the master key (SPEC §17.1). */
export const WrappedPrivateKeysWire = z.object({
  version: z.literal(1),
  hpkePrivateKey: base64Url(200),
  signingPrivateKey: base64Url(200),
});
export type WrappedPrivateKeysWire = z.infer<typeof WrappedPrivateKeysWire>;

export const SetIdentityBody = z.object({
  publicKeys: PublicKeyBundleWire,
  wrappedPrivateKeys: WrappedPrivateKeysWire,
});
export type SetIdentityBody = z.infer<typeof SetIdentityBody>;

export const UserKeysResponse = z.object({
  userId: UserId,
  email: z.string(),
  publicKeys: PublicKeyBundleWire,
});
export type UserKeysResponse = z.infer<typeof UserKeysResponse>;
export const UserLookupQuery = z.object({ email: z.string().trim().toLowerCase().max(254) });
export const UserIdParams = z.object({ id: UserId });

export const ShareRole = z.enum(["viewer", "contributor"]);
export type ShareRole = z.infer<typeof ShareRole>;

/** The sharer's signed statement that `granteeUserId` holds `role` with the sealed key of `keyVersion`. */
export const AlbumGrantWire = z.object({
  version: z.literal(1),
  albumId: AlbumId,
  granteeUserId: UserId,
  role: ShareRole,
  keyVersion: z.number().int().min(1),
  sealedKeyDigest: Digest,
  grantedBy: UserId,
  issuedAt: Instant,
  signature: Signature,
});
export type AlbumGrantWire = z.infer<typeof AlbumGrantWire>;

/** A sealed album key (1169 bytes) in base64url. */
const SealedAlbumKey = base64Url(1560, 1558);

export const MemberGrant = z.object({
  userId: UserId,
  role: ShareRole,
  keyVersion: z.number().int().min(1),
  sealedAlbumKey: SealedAlbumKey,
  grant: AlbumGrantWire,
});
export type MemberGrant = z.infer<typeof MemberGrant>;

export const PutMemberBody = MemberGrant.omit({ userId: true });
export type PutMemberBody = z.infer<typeof PutMemberBody>;

export const MemberRecord = MemberGrant.extend({ email: z.string(), createdAt: z.string() });
export type MemberRecord = z.infer<typeof MemberRecord>;

/** Album key `version` wrapped under the key of `version + 1` (SPEC §17.6): members walk it back to older files. */
export const KeyChainLink = z.object({ version: z.number().int().min(1), wrappedKey: base64Url(1024) });
export type KeyChainLink = z.infer<typeof KeyChainLink>;

export const KeyChainResponse = z.object({
  keyVersion: z.number().int().min(1),
  keyChain: z.array(KeyChainLink),
});
export type KeyChainResponse = z.infer<typeof KeyChainResponse>;

export const MembersResponse = z.object({
  albumId: AlbumId,
  ownerId: UserId,
  ownerEmail: z.string(),
  keyVersion: z.number().int().min(1),
  members: z.array(MemberRecord),
});
export type MembersResponse = z.infer<typeof MembersResponse>;

/** Removes members and rotates the album key in one step: the new key goes to the owner and every remaining member. */
export const RotateAlbumKeyBody = z.object({
  remove: z.array(UserId).max(1000),
  keyVersion: z.number().int().min(2),
  wrappedAlbumKey: base64Url(1024),
  /** The album name re-encrypted under the new key. */
  encryptedName: base64Url(4096),
  previousKey: base64Url(1024),
  members: z.array(MemberGrant).max(1000),
});
export type RotateAlbumKeyBody = z.infer<typeof RotateAlbumKeyBody>;

export const SharedAlbum = z.object({
  id: AlbumId,
  ownerId: UserId,
  ownerEmail: z.string(),
  encryptedName: base64Url(4096),
  keyVersion: z.number().int().min(1),
  membership: MemberGrant,
  keyChain: z.array(KeyChainLink),
  updatedAt: z.string(),
});
export type SharedAlbum = z.infer<typeof SharedAlbum>;
export const SharedAlbumsResponse = z.object({ albums: z.array(SharedAlbum) });
export type SharedAlbumsResponse = z.infer<typeof SharedAlbumsResponse>;

/** One file placed in a shared album, with what its uploader signed (SPEC §17.4). */
export const AlbumFileRecord = z.object({
  id: FileId,
  albumId: AlbumId,
  uploaderId: UserId,
  wrappedFileKey: base64Url(1024),
  keyVersion: z.number().int().min(1),
  contentDigest: Digest.nullable(),
  signature: Signature.nullable(),
  encryptedMetadata: base64Url(64 * 1024),
  contentSize: z.number().int(),
  thumbnails: z.object({ grid: z.number().int(), preview: z.number().int() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Present while the file is a live recording (docs/PROTOCOL.md, "Live uploads"). */
  live: z.literal(true).optional(),
});
export type AlbumFileRecord = z.infer<typeof AlbumFileRecord>;

export const AlbumFilesResponse = z.object({
  albumId: AlbumId,
  keyVersion: z.number().int().min(1),
  keyChain: z.array(KeyChainLink),
  files: z.array(AlbumFileRecord),
});
export type AlbumFilesResponse = z.infer<typeof AlbumFilesResponse>;

/** Adding a file to an album; shared albums take the key version and the uploader's signature with it. */
export const SignedPlacement = z.object({
  keyVersion: z.number().int().min(1),
  contentDigest: Digest,
  signature: Signature,
});
export type SignedPlacement = z.infer<typeof SignedPlacement>;
export const PlacementSignatureBody = SignedPlacement;

/**
 * An album link's roster (SPEC §18): the owner's signing key sealed under the link key, and the owner-signed list
 * of contributors with their signing keys and grants. The server stores it unread.
 */
export const LinkRoster = z.object({
  v: z.literal(1),
  ownerId: UserId,
  owner: base64Url(200),
  signed: z.object({ payload: z.string().max(4 * 1024 * 1024), signature: Signature }),
});
export type LinkRoster = z.infer<typeof LinkRoster>;

export const LinkKind = z.enum(["album", "file"]);
export type LinkKind = z.infer<typeof LinkKind>;

export const CreateLinkBody = z.object({
  id: LinkId,
  kind: LinkKind,
  targetId: z.union([AlbumId, FileId]),
  /** The album key (album links) or file key (file links), wrapped by the link key (SPEC §18). */
  wrappedKey: base64Url(1024),
  keyVersion: z.number().int().min(1),
  /** Present when the link has a password: the Argon2id (v2) or, on older links, PBKDF2 (v1) parameters. */
  kdf: LinkKdfParams.nullable(),
  expiresAt: Instant.nullable(),
  allowDownload: z.boolean(),
  /** Album links: who may place files (owner and contributors, with keys and grants), sealed under the link key. */
  roster: LinkRoster.nullable().optional(),
});
export type CreateLinkBody = z.infer<typeof CreateLinkBody>;
export const LinkRosterBody = z.object({ roster: LinkRoster });

export const LinkRecord = CreateLinkBody.omit({ wrappedKey: true }).extend({
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type LinkRecord = z.infer<typeof LinkRecord>;
export const LinksResponse = z.object({ links: z.array(LinkRecord) });
export const LinkIdParams = z.object({ id: LinkId });

/** What anyone holding the link id gets: ciphertext and wrapped keys only. */
export const PublicLinkResponse = z.object({
  id: LinkId,
  kind: LinkKind,
  targetId: z.string(),
  wrappedKey: base64Url(1024),
  keyVersion: z.number().int().min(1),
  kdf: LinkKdfParams.nullable(),
  allowDownload: z.boolean(),
  expiresAt: z.string().nullable(),
  album: z.object({ encryptedName: base64Url(4096) }).nullable(),
  /** Absent for file links and links made before rosters: then placements cannot be verified (SPEC §18). */
  roster: LinkRoster.nullable().optional(),
  keyChain: z.array(KeyChainLink),
  /** A file link's one file has no album placement: its key is the link's wrapped key. */
  files: z.array(
    AlbumFileRecord.extend({ albumId: AlbumId.nullable(), wrappedFileKey: base64Url(1024).nullable() }),
  ),
});
export type PublicLinkResponse = z.infer<typeof PublicLinkResponse>;
export const PublicLinkFileParams = z.object({ id: LinkId, fileId: FileId });
export const PublicLinkThumbnailParams = z.object({
  id: LinkId,
  fileId: FileId,
  variant: z.enum(["grid", "preview"]),
});
