// The public API of @umbra/crypto, named one by one: what is not listed here is internal. Streaming content
// and sharing have their own entry points (`@umbra/crypto/stream`, `@umbra/crypto/sharing`).
export { equalBytes, fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from "./bytes.js";
export { ciphertextDigest } from "./ciphertext-digest.js";
export { type ContentDigest, contentDigest, createContentDigest, deriveDedupKey } from "./dedup.js";
export {
  BadRecoveryPhraseError,
  type CryptoErrorCode,
  InvalidInputError,
  TamperedError,
  TruncatedError,
  UmbraCryptoError,
  UnsupportedVersionError,
  WeakKdfParamsError,
  WrongPasswordError,
} from "./errors.js";
export { fileContentAssociatedData } from "./file-content.js";
export { type Fingerprint, fingerprint } from "./fingerprint.js";
export { generateId, type IdKind, isId } from "./ids.js";
export { assertKdfParams, type KdfParams, newKdfParams } from "./kdf.js";
export { unwrapAlbumKey, unwrapFileKey, wrapAlbumKey, wrapFileKey } from "./key-hierarchy.js";
export {
  deriveCheckpointKey,
  openCheckpoint,
  openCheckpointHead,
  sealCheckpoint,
  sealCheckpointHead,
} from "./library-checkpoint.js";
export {
  generateAlbumKey,
  generateFileKey,
  generateMasterKey,
  type PasswordWrappedMasterKey,
  unwrapMasterKeyWithPassword,
  wrapMasterKeyWithPassword,
} from "./master-key.js";
export {
  decryptAlbumName,
  decryptMetadata,
  decryptThumbnail,
  encryptAlbumName,
  encryptMetadata,
  encryptThumbnail,
  THUMBNAIL_VARIANTS,
  type ThumbnailVariant,
} from "./metadata.js";
export { assertFileMetadata, type FileMetadata, type JsonValue } from "./metadata-schema.js";
export { padmeLength } from "./padding.js";
export {
  generateRecoveryPhrase,
  normalizeRecoveryPhrase,
  RECOVERY_WORD_COUNT,
  type RecoverySecrets,
  recoverySecretsFromPhrase,
  recoveryVerifier,
  unwrapMasterKeyWithRecovery,
  wrapMasterKeyWithRecovery,
} from "./recovery.js";
export { unwrapRecoveryPhrase, wrapRecoveryPhrase } from "./recovery-phrase-wrap.js";
