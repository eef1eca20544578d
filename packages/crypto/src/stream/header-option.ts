import { InvalidInputError, UmbraCryptoError } from "../errors.js";
import { type RandomSource, systemRandom } from "../random.js";
import {
  encodeStreamHeader,
  isValidSegmentSize,
  NONCE_PREFIX_LENGTH,
  parseStreamHeader,
  SALT_LENGTH,
  STREAM_HEADER_LENGTH,
  type StreamHeader,
} from "./header.js";

/** 256 KiB: see encrypt.ts and SPEC §6.8. */
export const DEFAULT_SEGMENT_SIZE = 256 * 1024;

/**
 * A fresh stream header (new random salt and nonce prefix) for createEncryptStream's `header` option: a
 * caller that must be able to re-create the exact same ciphertext later (a resumable upload) generates
 * the header first, stores it, and passes it on every (re-)encryption of the same plaintext.
 */
export function generateStreamHeader(segmentSize: number = DEFAULT_SEGMENT_SIZE): Uint8Array {
  return newStreamHeader(segmentSize, systemRandom).bytes;
}

export function newStreamHeader(segmentSize: number, random: RandomSource): StreamHeader {
  assertSegmentSize(segmentSize);
  const salt = random(SALT_LENGTH);
  const noncePrefix = random(NONCE_PREFIX_LENGTH);
  if (salt.length !== SALT_LENGTH || noncePrefix.length !== NONCE_PREFIX_LENGTH) {
    throw new InvalidInputError("The random source returned the wrong number of bytes");
  }
  return encodeStreamHeader(segmentSize, salt, noncePrefix);
}

export function assertSegmentSize(segmentSize: number): void {
  if (!isValidSegmentSize(segmentSize)) {
    throw new InvalidInputError("segmentSize must be a power of two between 16 KiB and 8 MiB");
  }
}

/**
 * Validates a caller-supplied header: exactly one well-formed v1 header, agreeing with `segmentSize` when
 * that is given too, and with a random part that is not all zeros (an unfilled buffer, not randomness).
 * Every failure is INVALID_INPUT: the header is an argument here, not data read from a stream.
 */
export function streamHeaderFromOption(bytes: Uint8Array, segmentSize: number | undefined): StreamHeader {
  if (!(bytes instanceof Uint8Array) || bytes.length !== STREAM_HEADER_LENGTH) {
    throw new InvalidInputError(`header must be ${STREAM_HEADER_LENGTH} bytes`);
  }
  let header: StreamHeader;
  try {
    header = parseStreamHeader(bytes);
  } catch (cause) {
    if (cause instanceof UmbraCryptoError) {
      throw new InvalidInputError(`Not a valid stream header: ${cause.message}`, { cause });
    }
    throw cause;
  }
  if (segmentSize !== undefined && segmentSize !== header.segmentSize) {
    throw new InvalidInputError(
      `header is for ${header.segmentSize}-byte segments but segmentSize is ${segmentSize}`,
    );
  }
  if (header.salt.every((b) => b === 0) || header.noncePrefix.every((b) => b === 0)) {
    throw new InvalidInputError("header has an all-zero salt or nonce prefix");
  }
  return header;
}
