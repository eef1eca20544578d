import { InvalidInputError, TamperedError } from "../errors.js";
import { systemRandom } from "../random.js";
import { parseStreamHeader, type StreamHeader, TAG_LENGTH } from "./header.js";
import { newStreamHeader, streamHeaderFromOption } from "./header-option.js";
import { assertAssociatedData, assertFileKey, deriveStreamKey, openSegmentWithKey } from "./segment.js";
import { createSegmentSealer, type SegmentSealer } from "./segment-sealer.js";

/**
 * 16 KiB, the smallest segment size: a live recording at a low bitrate still fills a segment within about a
 * second, and a viewer sees each one as soon as it is sealed (SPEC §6.11).
 */
export const LIVE_SEGMENT_SIZE = 16 * 1024;

/** Plaintext length of a live stream's final segment: only zeros, its length fixed by its index (SPEC §6.11). */
export function liveFinalSegmentLength(index: number): number {
  return index === 0 ? 0 : 1;
}

export interface LiveStreamOptions {
  /** Bound into the subkey, as for createEncryptStream. */
  associatedData: Uint8Array;
  segmentSize?: number;
  /** An existing stream's 47-byte header: to finalize a stream someone else started (recovery). */
  header?: Uint8Array;
}

/**
 * Seals a live stream segment by segment (SPEC §6.11): every segment carrying recorded bytes is a full segment
 * sealed with last = 0, and the final segment holds only zeros. Both rules are enforced here, so no (key,
 * nonce) pair can carry two different plaintexts, even when a recovering device finalizes the stream.
 */
export class StreamSegmentSealer {
  private constructor(
    private readonly sealer: SegmentSealer,
    private readonly parsed: StreamHeader,
  ) {}

  static async create(fileKey: Uint8Array, options: LiveStreamOptions): Promise<StreamSegmentSealer> {
    assertFileKey(fileKey);
    assertAssociatedData(options.associatedData);
    const header =
      options.header !== undefined
        ? streamHeaderFromOption(options.header, options.segmentSize)
        : newStreamHeader(options.segmentSize ?? LIVE_SEGMENT_SIZE, systemRandom);
    const sealer = await createSegmentSealer(fileKey, header, options.associatedData.slice());
    return new StreamSegmentSealer(sealer, header);
  }

  /** The 47-byte stream header: the first bytes of the stream. */
  get header(): Uint8Array {
    return this.parsed.bytes.slice();
  }

  get segmentSize(): number {
    return this.parsed.segmentSize;
  }

  /** Byte offset of segment `index` in the stream (header included). */
  segmentOffset(index: number): number {
    return this.parsed.bytes.length + index * (this.parsed.segmentSize + TAG_LENGTH);
  }

  /** Segment `index` holding recorded bytes: exactly one full segment, sealed with last = 0. */
  async sealSegment(index: number, plaintext: Uint8Array): Promise<Uint8Array> {
    if (!(plaintext instanceof Uint8Array) || plaintext.length !== this.parsed.segmentSize) {
      throw new InvalidInputError("A live segment with recorded bytes must be exactly one full segment");
    }
    return joinParts(await this.sealer.seal(index, false, plaintext));
  }

  /** The final segment at `index`: zeros only (liveFinalSegmentLength), sealed with last = 1. */
  async sealFinalSegment(index: number): Promise<Uint8Array> {
    return joinParts(await this.sealer.seal(index, true, new Uint8Array(liveFinalSegmentLength(index))));
  }
}

function joinParts(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** One authenticated segment: its plaintext and whether it was sealed as the stream's final segment. */
export interface OpenedSegment {
  plaintext: Uint8Array;
  isLast: boolean;
}

/**
 * Authenticates the segments of a stream whose end is not known yet (a live recording being read): each
 * segment is tried as a middle segment, then as the final one. A segment opens under at most one flag, so
 * the answer says where the stream ends; one that opens under neither is TAMPERED.
 */
export class StreamSegmentOpener {
  private constructor(
    private readonly key: CryptoKey,
    private readonly parsed: StreamHeader,
  ) {}

  static async create(
    fileKey: Uint8Array,
    options: { associatedData: Uint8Array; header: Uint8Array },
  ): Promise<StreamSegmentOpener> {
    const header = parseStreamHeader(options.header);
    return new StreamSegmentOpener(await deriveStreamKey(fileKey, header, options.associatedData), header);
  }

  get segmentSize(): number {
    return this.parsed.segmentSize;
  }

  async open(index: number, segmentCiphertext: Uint8Array): Promise<OpenedSegment> {
    if (segmentCiphertext.length > this.parsed.segmentSize + TAG_LENGTH) {
      throw new TamperedError(`Stream segment ${index} is longer than a segment`);
    }
    const { noncePrefix } = this.parsed;
    // A full segment is far more often a middle one; anything shorter can only be the final one.
    const full = segmentCiphertext.length === this.parsed.segmentSize + TAG_LENGTH;
    if (full) {
      const middle = await openSegmentWithKey(this.key, noncePrefix, index, false, segmentCiphertext);
      if (middle) return { plaintext: middle, isLast: false };
    }
    const last = await openSegmentWithKey(this.key, noncePrefix, index, true, segmentCiphertext);
    if (last) return { plaintext: last, isLast: true };
    throw new TamperedError(`Stream segment ${index} failed authentication`);
  }
}
