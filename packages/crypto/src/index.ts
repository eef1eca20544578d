export {
  concatBytes,
  equalBytes,
  fromBase64Url,
  fromHex,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
} from "./bytes.js";
export { type ContentDigest, contentDigest, createContentDigest, deriveDedupKey } from "./dedup.js";
export * from "./errors.js";
export { type Fingerprint, fingerprint } from "./fingerprint.js";
export { hkdfSha256 } from "./hkdf.js";
export {
  createHmacSha256,
  type HmacSha256,
  type HmacSha256Factory,
  hmacSha256Backend,
  portableHmacSha256,
} from "./hmac-sha256.js";
export { generateId, type IdKind, isId } from "./ids.js";
export {
  assertKdfParams,
  deriveWrappingKey,
  KDF_ALGORITHM,
  KDF_SALT_LENGTH,
  type KdfParams,
  MIN_KDF_ITERATIONS,
  newKdfParams,
} from "./kdf.js";
export {
  albumKeyContext,
  fileKeyContext,
  KEY_PURPOSES,
  type KeyContext,
  type KeyPurpose,
  passwordMasterKeyContext,
  recoveryMasterKeyContext,
  recoveryPhraseContext,
} from "./key-context.js";
export { unwrapAlbumKey, unwrapFileKey, wrapAlbumKey, wrapFileKey } from "./key-hierarchy.js";
export {
  checkpointAssociatedData,
  deriveCheckpointKey,
  openCheckpoint,
  sealCheckpoint,
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
export { decodePaddedBlob, encodePaddedBlob, padmeLength } from "./padding.js";
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
export * from "./sharing/index.js";
export * from "./stream/index.js";
export { unwrapKey, wrapKey } from "./wrap.js";
