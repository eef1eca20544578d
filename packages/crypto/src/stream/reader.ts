import { InvalidInputError, TruncatedError } from "../errors.js";
import { parseStreamHeader, STREAM_HEADER_LENGTH, type StreamHeader, TAG_LENGTH } from "./header.js";
import { plaintextLengthFromCiphertextLength, segmentRangeForBytes } from "./layout.js";
import { decryptSegmentWithKey, deriveStreamKey } from "./segment.js";

/** Fetches ciphertext bytes start..endInclusive (both inclusive, like an HTTP Range header). */
export type FetchCiphertextRange = (start: number, endInclusive: number) => Promise<Uint8Array>;

export interface SegmentReaderOptions {
  associatedData: Uint8Array;
  /** Size of the whole ciphertext blob (e.g. the file record's contentSize). */
  ciphertextLength: number;
  fetchCiphertextRange: FetchCiphertextRange;
  /** The true plaintext length, from the encrypted metadata; reads are limited to it (padding is hidden). */
  plaintextLength?: number;
}

/**
 * Random access to an encrypted stream (video seeking, ranged downloads): fetches only the segments that
 * cover the wanted bytes and authenticates each one. The subkey is derived once per reader.
 */
export class SegmentReader {
  private constructor(
    readonly header: StreamHeader,
    /** Readable plaintext bytes: the true length when given, otherwise the stream's (padded) length. */
    readonly plaintextLength: number,
    private readonly streamPlaintextLength: number,
    private readonly key: CryptoKey,
    private readonly fetchRange: FetchCiphertextRange,
  ) {}

  static async open(fileKey: Uint8Array, options: SegmentReaderOptions): Promise<SegmentReader> {
    const headerBytes = await fetchExactly(options.fetchCiphertextRange, 0, STREAM_HEADER_LENGTH - 1);
    const header = parseStreamHeader(headerBytes);
    const streamLength = plaintextLengthFromCiphertextLength(options.ciphertextLength, header.segmentSize);
    const trueLength = options.plaintextLength ?? streamLength;
    if (!Number.isSafeInteger(trueLength) || trueLength < 0) {
      throw new InvalidInputError("plaintextLength must be a non-negative integer");
    }
    if (trueLength > streamLength) {
      throw new TruncatedError(`The stream holds ${streamLength} plaintext bytes, fewer than ${trueLength}`);
    }
    const key = await deriveStreamKey(fileKey, header, options.associatedData);
    return new SegmentReader(header, trueLength, streamLength, key, options.fetchCiphertextRange);
  }

  /** Plaintext bytes start..endInclusive; the end is clamped to the last readable byte. */
  async read(start: number, endInclusive: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(start) || start < 0 || start >= this.plaintextLength) {
      throw new InvalidInputError(`Read start ${start} is outside 0..${this.plaintextLength - 1}`);
    }
    const end = Math.min(endInclusive, this.plaintextLength - 1);
    const range = segmentRangeForBytes(start, end, this.header.segmentSize, this.streamPlaintextLength);
    const ciphertext = await fetchExactly(this.fetchRange, range.ciphertextStart, range.ciphertextEnd);
    const stride = this.header.segmentSize + TAG_LENGTH;
    const segments: Promise<Uint8Array>[] = [];
    for (let index = range.firstSegment; index <= range.lastSegment; index++) {
      const offset = (index - range.firstSegment) * stride;
      const isLast = range.includesFinalSegment && index === range.lastSegment;
      const segment = ciphertext.subarray(offset, Math.min(offset + stride, ciphertext.length));
      segments.push(decryptSegmentWithKey(this.key, this.header.noncePrefix, index, isLast, segment));
    }
    const plaintexts = await Promise.all(segments);
    const out = new Uint8Array(range.byteLength);
    let skip = range.skipBytes;
    let written = 0;
    for (const plaintext of plaintexts) {
      const part = plaintext.subarray(skip, skip + (out.length - written));
      out.set(part, written);
      written += part.length;
      skip = 0;
    }
    if (written !== out.length) throw new TruncatedError("The segments hold fewer bytes than expected");
    return out;
  }
}

async function fetchExactly(fetchRange: FetchCiphertextRange, start: number, endInclusive: number) {
  const bytes = await fetchRange(start, endInclusive);
  if (!(bytes instanceof Uint8Array))
    throw new InvalidInputError("fetchCiphertextRange must return a Uint8Array");
  if (bytes.length < endInclusive - start + 1) {
    throw new TruncatedError(
      `Asked for ciphertext bytes ${start}-${endInclusive}, got ${bytes.length} bytes`,
    );
  }
  // More bytes than asked means the range was ignored; guessing which bytes they are could misplace data.
  if (bytes.length > endInclusive - start + 1) {
    throw new InvalidInputError(
      `Asked for ciphertext bytes ${start}-${endInclusive}, got ${bytes.length} bytes`,
    );
  }
  return bytes;
}
