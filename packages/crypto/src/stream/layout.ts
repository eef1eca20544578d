import { InvalidInputError, TamperedError, TruncatedError } from "../errors.js";
import { isValidSegmentSize, STREAM_HEADER_LENGTH, TAG_LENGTH } from "./header.js";

function assertSegmentSize(segmentSize: number): void {
  if (!isValidSegmentSize(segmentSize)) {
    throw new InvalidInputError("segmentSize must be a power of two between 16 KiB and 8 MiB");
  }
}

function assertLength(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidInputError(`${name} must be a non-negative integer`);
}

/** Number of segments of a stream: an empty plaintext is one empty segment, otherwise ceil(length / size). */
export function segmentCount(plaintextLength: number, segmentSize: number): number {
  assertLength("plaintextLength", plaintextLength);
  assertSegmentSize(segmentSize);
  return Math.max(1, Math.ceil(plaintextLength / segmentSize));
}

/** Total stream size: header + plaintext + one 16-byte tag per segment. */
export function ciphertextLength(plaintextLength: number, segmentSize: number): number {
  return STREAM_HEADER_LENGTH + plaintextLength + segmentCount(plaintextLength, segmentSize) * TAG_LENGTH;
}

/**
 * The inverse of ciphertextLength: the stream's plaintext length (including any padding) from the size of the
 * ciphertext blob. A size no encryptor can produce means the blob was cut (TRUNCATED) or altered (TAMPERED).
 */
export function plaintextLengthFromCiphertextLength(
  totalCiphertextLength: number,
  segmentSize: number,
): number {
  assertLength("ciphertextLength", totalCiphertextLength);
  assertSegmentSize(segmentSize);
  const body = totalCiphertextLength - STREAM_HEADER_LENGTH;
  if (body < TAG_LENGTH) throw new TruncatedError("The stream is shorter than its header and one segment");
  const segments = Math.ceil(body / (segmentSize + TAG_LENGTH));
  const lastSegmentLength = body - (segments - 1) * (segmentSize + TAG_LENGTH);
  // Only an empty stream has an empty segment; a trailing empty segment after full ones is never written.
  if (lastSegmentLength < TAG_LENGTH || (lastSegmentLength === TAG_LENGTH && segments > 1)) {
    throw new TamperedError(`No stream has ${totalCiphertextLength} bytes of ciphertext`);
  }
  return body - segments * TAG_LENGTH;
}

export interface SegmentRange {
  /** Index of the segment holding plaintext byte `start`. */
  firstSegment: number;
  /** Index of the segment holding the (clamped) end byte. */
  lastSegment: number;
  /** First ciphertext byte to fetch (offset of firstSegment). */
  ciphertextStart: number;
  /** Last ciphertext byte to fetch, inclusive, as in an HTTP `Range: bytes=start-end` header. */
  ciphertextEnd: number;
  /** Plaintext bytes to drop from the start of firstSegment's plaintext. */
  skipBytes: number;
  /** Plaintext bytes wanted, starting after skipBytes. */
  byteLength: number;
  /** The requested end, clamped to the stream's last byte when its length is known. */
  endInclusive: number;
  /** Whether lastSegment is the stream's final segment (decrypt it with isLast = true); false when unknown. */
  includesFinalSegment: boolean;
}

/**
 * Maps plaintext bytes start..endInclusive to the ciphertext byte range to fetch. Segment i starts at
 * header + i * (segmentSize + 16). Pass totalPlaintextLength (the stream's length, padding included) to clamp
 * the end, get an exact ciphertextEnd for a short final segment, and know whether it is the final one.
 */
export function segmentRangeForBytes(
  start: number,
  endInclusive: number,
  segmentSize: number,
  totalPlaintextLength?: number,
): SegmentRange {
  assertSegmentSize(segmentSize);
  assertLength("start", start);
  assertLength("endInclusive", endInclusive);
  if (endInclusive < start) throw new InvalidInputError("endInclusive must not be before start");
  let end = endInclusive;
  let finalSegment = -1;
  if (totalPlaintextLength !== undefined) {
    assertLength("totalPlaintextLength", totalPlaintextLength);
    if (start >= totalPlaintextLength)
      throw new InvalidInputError("Range starts after the end of the stream");
    end = Math.min(end, totalPlaintextLength - 1);
    finalSegment = segmentCount(totalPlaintextLength, segmentSize) - 1;
  }
  const stride = segmentSize + TAG_LENGTH;
  const firstSegment = Math.floor(start / segmentSize);
  const lastSegment = Math.floor(end / segmentSize);
  const includesFinalSegment = lastSegment === finalSegment;
  const ciphertextEnd =
    includesFinalSegment && totalPlaintextLength !== undefined
      ? ciphertextLength(totalPlaintextLength, segmentSize) - 1
      : STREAM_HEADER_LENGTH + (lastSegment + 1) * stride - 1;
  return {
    firstSegment,
    lastSegment,
    ciphertextStart: STREAM_HEADER_LENGTH + firstSegment * stride,
    ciphertextEnd,
    skipBytes: start - firstSegment * segmentSize,
    byteLength: end - start + 1,
    endInclusive: end,
    includesFinalSegment,
  };
}
