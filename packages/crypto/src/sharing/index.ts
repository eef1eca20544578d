// Public API of sharing: identities, sealed album keys, grants, signatures, links (`@umbra/crypto/sharing`).
export { unwrapPreviousAlbumKey, wrapPreviousAlbumKey } from "./album-key-chain.js";
export {
  type AlbumKeyShareContext,
  openAlbumKey,
  SHARE_ROLES,
  type ShareRole,
  sealAlbumKey,
} from "./album-key-seal.js";
export {
  ciphertextDigest,
  type FileRecordFields,
  LIVE_CONTENT_DIGEST,
  signFileRecord,
  verifyFileRecord,
} from "./file-record-signature.js";
export {
  type AlbumGrantFields,
  type SignedAlbumGrant,
  sealedKeyDigest,
  signGrant,
  verifyGrant,
} from "./grant.js";
export {
  generateIdentity,
  type Identity,
  type KeyPairBytes,
  unwrapIdentityPrivateKeys,
  type WrappedIdentityPrivateKeys,
  wrapIdentityPrivateKeys,
} from "./identity.js";
export {
  type Argon2idLinkKdfParams,
  assertLinkKdfParams,
  LINK_PASSWORD_VERSION,
  type LinkKdfParams,
  newLinkKdfParams,
} from "./link-password-kdf.js";
export {
  type LinkRosterPayload,
  openLinkOwner,
  type SignedLinkRoster,
  sealLinkOwner,
  signLinkRoster,
  verifyLinkRoster,
} from "./link-roster.js";
export {
  type PublicKeyBundle,
  type PublicKeys,
  signPublicKeyBundle,
  verifyPublicKeyBundle,
} from "./public-key-bundle.js";
export {
  deriveLinkKeys,
  generateLinkSecret,
  type LinkKeyPurpose,
  type LinkKeys,
  type LinkPassword,
  type LinkTarget,
  unwrapKeyForLink,
  wrapKeyForLink,
} from "./public-link.js";
export { type SafetyNumber, safetyNumber } from "./safety-number.js";
