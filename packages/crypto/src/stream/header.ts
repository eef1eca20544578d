import { TamperedError, TruncatedError, UnsupportedVersionError } from "../errors.js";

/** "UMS": Umbra stream. */
export const STREAM_MAGIC = Uint8Array.of(0x55, 0x4d, 0x53);
export const STREAM_VERSION = 0x01;
export const SALT_LENGTH = 32;
export const NONCE_PREFIX_LENGTH = 7;
export const TAG_LENGTH = 16;
/** magic(3) ‖ version(1) ‖ segment size(4): the part of the header bound into the subkey's info. */
export const HEADER_PREFIX_LENGTH = 8;
export const STREAM_HEADER_LENGTH = HEADER_PREFIX_LENGTH + SALT_LENGTH + NONCE_PREFIX_LENGTH;
export const MIN_SEGMENT_SIZE = 16 * 1024;
export const MAX_SEGMENT_SIZE = 8 * 1024 * 1024;

export interface StreamHeader {
  readonly version: number;
  /** Plaintext bytes per segment (every segment but the last holds exactly this many). */
  readonly segmentSize: number;
  readonly salt: Uint8Array;
  readonly noncePrefix: Uint8Array;
  /** The header exactly as serialized (STREAM_HEADER_LENGTH bytes). */
  readonly bytes: Uint8Array;
}

export function isValidSegmentSize(size: number): boolean {
  return (
    Number.isInteger(size) &&
    size >= MIN_SEGMENT_SIZE &&
    size <= MAX_SEGMENT_SIZE &&
    (size & (size - 1)) === 0
  );
}

export function encodeStreamHeader(
  segmentSize: number,
  salt: Uint8Array,
  noncePrefix: Uint8Array,
): StreamHeader {
  const bytes = new Uint8Array(STREAM_HEADER_LENGTH);
  bytes.set(STREAM_MAGIC, 0);
  bytes[3] = STREAM_VERSION;
  new DataView(bytes.buffer).setUint32(4, segmentSize, false);
  bytes.set(salt, HEADER_PREFIX_LENGTH);
  bytes.set(noncePrefix, HEADER_PREFIX_LENGTH + SALT_LENGTH);
  return {
    version: STREAM_VERSION,
    segmentSize,
    salt: bytes.slice(HEADER_PREFIX_LENGTH, HEADER_PREFIX_LENGTH + SALT_LENGTH),
    noncePrefix: bytes.slice(HEADER_PREFIX_LENGTH + SALT_LENGTH),
    bytes,
  };
}

/**
 * Checks magic and version first, so a stream of another format is reported as such (UNSUPPORTED_VERSION)
 * even when it is shorter than a v1 header. Extra bytes after the header are ignored.
 */
export function parseStreamHeader(input: Uint8Array): StreamHeader {
  const known = Math.min(input.length, STREAM_MAGIC.length + 1);
  for (let i = 0; i < known; i++) {
    const expected = i < STREAM_MAGIC.length ? STREAM_MAGIC[i] : STREAM_VERSION;
    if (input[i] !== expected) {
      throw new UnsupportedVersionError(
        i < STREAM_MAGIC.length
          ? "Not an Umbra stream (bad magic)"
          : `Unsupported stream version ${input[i]}`,
      );
    }
  }
  if (input.length < STREAM_HEADER_LENGTH) {
    throw new TruncatedError(`Stream header needs ${STREAM_HEADER_LENGTH} bytes, got ${input.length}`);
  }
  const segmentSize = new DataView(input.buffer, input.byteOffset, input.byteLength).getUint32(4, false);
  // The size field is authenticated through the subkey, but an impossible value is rejected before any work.
  if (!isValidSegmentSize(segmentSize)) throw new TamperedError(`Invalid stream segment size ${segmentSize}`);
  const bytes = input.slice(0, STREAM_HEADER_LENGTH);
  return {
    version: STREAM_VERSION,
    segmentSize,
    salt: bytes.slice(HEADER_PREFIX_LENGTH, HEADER_PREFIX_LENGTH + SALT_LENGTH),
    noncePrefix: bytes.slice(HEADER_PREFIX_LENGTH + SALT_LENGTH),
    bytes,
  };
}
