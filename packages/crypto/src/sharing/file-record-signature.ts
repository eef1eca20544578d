import { sha256 } from "@noble/hashes/sha2.js";
import { assertIdField, encodeAssociatedData } from "../associated-data.js";
import { toBase64Url, utf8Encode } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import { assertSignature, signToBase64Url } from "./ed25519.js";

export { ciphertextDigest } from "../ciphertext-digest.js";

export const FILE_RECORD_LABEL = "umbra/v1/file-record";

/** What an uploader signs for each (file, album) placement. Byte fields are base64url, as on the wire. */
export interface FileRecordFields {
  fileId: string;
  albumId: string;
  wrappedFileKey: string;
  /** `ciphertextDigest(contentBlob)`. */
  contentDigest: string;
  uploaderUserId: string;
}

/**
 * The contentDigest a live recording's placement is signed with while it records (SPEC §17.4): SHA-256 of the
 * ASCII label "umbra/v1/live-content". No content blob has this digest short of a SHA-256 preimage: the only
 * known input is the label itself, which is not a stream (a stream starts with "UMS").
 */
export const LIVE_CONTENT_DIGEST = toBase64Url(sha256(utf8Encode("umbra/v1/live-content")));

/** `enc("umbra/v1/file-record", "1", fileId, albumId, wrappedFileKey, contentDigest, uploaderUserId)`. */
export function fileRecordMessage(fields: FileRecordFields): Uint8Array {
  if (typeof fields !== "object" || fields === null) throw new InvalidInputError("Missing file record");
  assertIdField(fields.fileId, "fileId");
  assertIdField(fields.albumId, "albumId");
  if (typeof fields.wrappedFileKey !== "string" || fields.wrappedFileKey.length === 0) {
    throw new InvalidInputError("wrappedFileKey must be a base64url string");
  }
  if (typeof fields.contentDigest !== "string" || fields.contentDigest.length !== 43) {
    throw new InvalidInputError("contentDigest must be a base64url SHA-256 digest");
  }
  assertIdField(fields.uploaderUserId, "uploaderUserId");
  return encodeAssociatedData([
    FILE_RECORD_LABEL,
    "1",
    fields.fileId,
    fields.albumId,
    fields.wrappedFileKey,
    fields.contentDigest,
    fields.uploaderUserId,
  ]);
}

/** The uploader's signature (base64url) over a file placement. */
export async function signFileRecord(
  signingPrivateKey: Uint8Array,
  fields: FileRecordFields,
): Promise<string> {
  return signToBase64Url(signingPrivateKey, fileRecordMessage(fields));
}

/**
 * Clients call this before trusting a file in a shared album, with the signing key of `uploaderUserId` from that
 * user's verified bundle. A missing or wrong signature → TAMPERED.
 */
export async function verifyFileRecord(
  fields: FileRecordFields,
  signature: string | null | undefined,
  uploaderSigningPublicKey: Uint8Array,
): Promise<void> {
  await assertSignature(uploaderSigningPublicKey, signature, fileRecordMessage(fields), "The file record");
}
