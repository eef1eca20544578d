import { describe, expect, it } from "vitest";
import * as api from "./index.js";
import * as sharing from "./sharing/index.js";
import * as stream from "./stream/index.js";

// The public API is deliberate: a name added to an entry point without being added here fails, so internals
// (key contexts, HKDF/HMAC backends, padding codecs, injectable randomness) do not leak by a star re-export.
const ROOT = [
  "BadRecoveryPhraseError",
  "InvalidInputError",
  "RECOVERY_WORD_COUNT",
  "THUMBNAIL_VARIANTS",
  "TamperedError",
  "TruncatedError",
  "UmbraCryptoError",
  "UnsupportedVersionError",
  "WeakKdfParamsError",
  "WrongPasswordError",
  "assertFileMetadata",
  "assertKdfParams",
  "ciphertextDigest",
  "contentDigest",
  "createContentDigest",
  "decryptAlbumName",
  "decryptMetadata",
  "decryptThumbnail",
  "deriveCheckpointKey",
  "deriveDedupKey",
  "encryptAlbumName",
  "encryptMetadata",
  "encryptThumbnail",
  "equalBytes",
  "fileContentAssociatedData",
  "fingerprint",
  "fromBase64Url",
  "generateAlbumKey",
  "generateFileKey",
  "generateId",
  "generateMasterKey",
  "generateRecoveryPhrase",
  "isId",
  "newKdfParams",
  "normalizeRecoveryPhrase",
  "openCheckpoint",
  "openCheckpointHead",
  "padmeLength",
  "recoverySecretsFromPhrase",
  "recoveryVerifier",
  "sealCheckpoint",
  "sealCheckpointHead",
  "toBase64Url",
  "unwrapAlbumKey",
  "unwrapFileKey",
  "unwrapMasterKeyWithPassword",
  "unwrapMasterKeyWithRecovery",
  "unwrapRecoveryPhrase",
  "utf8Decode",
  "utf8Encode",
  "wrapAlbumKey",
  "wrapFileKey",
  "wrapMasterKeyWithPassword",
  "wrapMasterKeyWithRecovery",
  "wrapRecoveryPhrase",
];
const SHARING = [
  "LINK_PASSWORD_VERSION",
  "LIVE_CONTENT_DIGEST",
  "SHARE_ROLES",
  "assertLinkKdfParams",
  "ciphertextDigest",
  "deriveLinkKeys",
  "generateIdentity",
  "generateLinkSecret",
  "newLinkKdfParams",
  "openAlbumKey",
  "openLinkOwner",
  "safetyNumber",
  "sealAlbumKey",
  "sealLinkOwner",
  "sealedKeyDigest",
  "signFileRecord",
  "signGrant",
  "signLinkRoster",
  "signPublicKeyBundle",
  "unwrapIdentityPrivateKeys",
  "unwrapKeyForLink",
  "unwrapPreviousAlbumKey",
  "verifyFileRecord",
  "verifyGrant",
  "verifyLinkRoster",
  "verifyPublicKeyBundle",
  "wrapIdentityPrivateKeys",
  "wrapKeyForLink",
  "wrapPreviousAlbumKey",
];
const STREAM = [
  "DEFAULT_SEGMENT_SIZE",
  "LIVE_SEGMENT_SIZE",
  "MAX_SEGMENT_SIZE",
  "MIN_SEGMENT_SIZE",
  "STREAM_HEADER_LENGTH",
  "SegmentReader",
  "StreamSegmentOpener",
  "StreamSegmentSealer",
  "ciphertextLength",
  "createDecryptStream",
  "createEncryptStream",
  "decryptSegment",
  "decryptSegmentWithKey",
  "deriveStreamKey",
  "generateStreamHeader",
  "liveFinalSegmentLength",
  "parseStreamHeader",
  "plaintextLengthFromCiphertextLength",
  "segmentCount",
  "segmentRangeForBytes",
];

const names = (module: object) => Object.keys(module).sort();

describe("public API", () => {
  it("@umbra/crypto exports exactly the listed names", () => {
    expect(names(api)).toEqual([...ROOT].sort());
  });
  it("@umbra/crypto/sharing and @umbra/crypto/stream export exactly the listed names", () => {
    expect(names(sharing)).toEqual([...SHARING].sort());
    expect(names(stream)).toEqual([...STREAM].sort());
  });
  it("never exposes a way to inject randomness", () => {
    const injectable = [...names(api), ...names(sharing), ...names(stream)].filter(
      (name) => /With$/.test(name) || /random/i.test(name),
    );
    expect(injectable).toEqual([]);
  });
});
