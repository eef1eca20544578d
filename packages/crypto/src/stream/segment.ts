import { concatBytes, utf8Encode } from "../bytes.js";
import { InvalidInputError, TamperedError } from "../errors.js";
import { hkdfSha256, importAesGcmKey } from "../hkdf.js";
import { HEADER_PREFIX_LENGTH, NONCE_PREFIX_LENGTH, type StreamHeader, TAG_LENGTH } from "./header.js";

const SUBKEY_INFO_LABEL = utf8Encode("umbra/v1/stream");
export const FILE_KEY_LENGTH = 32;
/** Segment indexes are a uint32 in the nonce. */
export const MAX_SEGMENT_INDEX = 0xffffffff;

export function assertFileKey(fileKey: Uint8Array): void {
  if (!(fileKey instanceof Uint8Array) || fileKey.length !== FILE_KEY_LENGTH) {
    throw new InvalidInputError(`A file key must be ${FILE_KEY_LENGTH} bytes`);
  }
}

export function assertAssociatedData(associatedData: Uint8Array): void {
  if (!(associatedData instanceof Uint8Array))
    throw new InvalidInputError("associatedData must be a Uint8Array");
}

/**
 * Per-file AES-256-GCM subkey: HKDF-SHA256(ikm = fileKey, salt = header salt,
 * info = "umbra/v1/stream" ‖ magic ‖ version ‖ segment size ‖ associatedData).
 * Binding the header prefix and the AD into the key makes every segment fail if either differs.
 */
export async function deriveStreamKey(
  fileKey: Uint8Array,
  header: StreamHeader,
  associatedData: Uint8Array,
): Promise<CryptoKey> {
  const raw = await deriveStreamKeyBytes(fileKey, header, associatedData);
  try {
    return await importAesGcmKey(raw);
  } finally {
    raw.fill(0);
  }
}

/** The raw subkey bytes (see deriveStreamKey); the caller must wipe them once imported. */
export async function deriveStreamKeyBytes(
  fileKey: Uint8Array,
  header: StreamHeader,
  associatedData: Uint8Array,
): Promise<Uint8Array> {
  assertFileKey(fileKey);
  assertAssociatedData(associatedData);
  const info = concatBytes(SUBKEY_INFO_LABEL, header.bytes.subarray(0, HEADER_PREFIX_LENGTH), associatedData);
  return hkdfSha256(fileKey, header.salt, info, 32);
}

/** noncePrefix(7) ‖ segment index (uint32 BE) ‖ last-segment flag (0x00 or 0x01). */
export function segmentNonce(noncePrefix: Uint8Array, index: number, isLast: boolean): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index > MAX_SEGMENT_INDEX) {
    throw new InvalidInputError(`Segment index out of range: ${index}`);
  }
  const nonce = new Uint8Array(12);
  nonce.set(noncePrefix.subarray(0, NONCE_PREFIX_LENGTH), 0);
  nonce[7] = index >>> 24;
  nonce[8] = (index >>> 16) & 0xff;
  nonce[9] = (index >>> 8) & 0xff;
  nonce[10] = index & 0xff;
  nonce[11] = isLast ? 1 : 0;
  return nonce;
}

export async function encryptSegmentWithKey(
  key: CryptoKey,
  noncePrefix: Uint8Array,
  index: number,
  isLast: boolean,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const iv = segmentNonce(noncePrefix, index, isLast);
  const out = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: iv as BufferSource, tagLength: TAG_LENGTH * 8 },
    key,
    plaintext as BufferSource,
  );
  return new Uint8Array(out);
}

/** Resolves to the plaintext, or to null when the segment does not authenticate under this index/flag. */
export async function openSegmentWithKey(
  key: CryptoKey,
  noncePrefix: Uint8Array,
  index: number,
  isLast: boolean,
  segmentCiphertext: Uint8Array,
): Promise<Uint8Array | null> {
  if (segmentCiphertext.length < TAG_LENGTH) return null;
  const iv = segmentNonce(noncePrefix, index, isLast);
  try {
    const out = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: iv as BufferSource, tagLength: TAG_LENGTH * 8 },
      key,
      segmentCiphertext as BufferSource,
    );
    return new Uint8Array(out);
  } catch (cause) {
    // Web Crypto reports a failed tag check as OperationError; anything else is a real fault to surface.
    if ((cause as { name?: unknown } | null)?.name === "OperationError") return null;
    throw cause;
  }
}

export async function decryptSegmentWithKey(
  key: CryptoKey,
  noncePrefix: Uint8Array,
  index: number,
  isLast: boolean,
  segmentCiphertext: Uint8Array,
): Promise<Uint8Array> {
  const plaintext = await openSegmentWithKey(key, noncePrefix, index, isLast, segmentCiphertext);
  if (plaintext === null) throw new TamperedError(`Stream segment ${index} failed authentication`);
  return plaintext;
}

export interface DecryptSegmentOptions {
  associatedData: Uint8Array;
  header: StreamHeader;
  index: number;
  segmentCiphertext: Uint8Array;
  isLast: boolean;
}

/**
 * Decrypts one segment for random access (HTTP Range, seeking). Derives the subkey on each call: to read
 * many segments of one file use SegmentReader, which derives it once.
 */
export async function decryptSegment(
  fileKey: Uint8Array,
  options: DecryptSegmentOptions,
): Promise<Uint8Array> {
  const { associatedData, header, index, segmentCiphertext, isLast } = options;
  if (!(segmentCiphertext instanceof Uint8Array)) {
    throw new InvalidInputError("segmentCiphertext must be a Uint8Array");
  }
  if (segmentCiphertext.length > header.segmentSize + TAG_LENGTH) {
    throw new TamperedError(`Stream segment ${index} is longer than a segment`);
  }
  const key = await deriveStreamKey(fileKey, header, associatedData);
  return decryptSegmentWithKey(key, header.noncePrefix, index, isLast, segmentCiphertext);
}
