import { InvalidInputError } from "../errors.js";
import { type RandomSource, systemRandom } from "../random.js";
import { type StreamHeader, TAG_LENGTH } from "./header.js";
import { DEFAULT_SEGMENT_SIZE, newStreamHeader, streamHeaderFromOption } from "./header-option.js";
import { OrderedSegmentQueue, waitForReadableDemand } from "./queue.js";
import { assertAssociatedData, assertFileKey } from "./segment.js";
import { createSegmentSealer, type SegmentSealer, type SegmentSealerBackend } from "./segment-sealer.js";

/**
 * DEFAULT_SEGMENT_SIZE, 256 KiB: among the fastest in Chromium (1 MiB and up is 3-4x slower there) and within
 * noise of the best in Node; see the measurements in docs/PERFORMANCE.md ("Segment size").
 */
export { DEFAULT_SEGMENT_SIZE };
/** Segment encryptions kept in flight: enough to use every core, small enough to bound memory. */
export const DEFAULT_MAX_IN_FLIGHT = 4;

export interface EncryptStreamOptions {
  /** Bound into the subkey: decryption needs the same bytes (e.g. the file id). */
  associatedData: Uint8Array;
  /** Plaintext bytes per segment: a power of two from 16 KiB to 8 MiB. */
  segmentSize?: number;
  /** Appends zero bytes after the input up to this plaintext length, so the stored size reveals only it. */
  padToLength?: number;
  /**
   * The stream header to use (from generateStreamHeader), instead of drawing a fresh salt and nonce prefix.
   * Encrypting the SAME plaintext again under the same key, associatedData and header reproduces the same
   * ciphertext byte for byte, which is what resuming an upload needs. Encrypting any OTHER plaintext under a
   * header already used reuses AES-GCM nonces and destroys confidentiality and integrity: callers must
   * prove the plaintext unchanged (e.g. by its keyed digest) first. Defines segmentSize.
   */
  header?: Uint8Array;
}

/** Test-vector and benchmark knobs; not part of the public API. */
export interface EncryptStreamInternals {
  random?: RandomSource;
  maxInFlight?: number;
  /** Force one AES-GCM implementation (tests check both give the same bytes). */
  sealer?: SegmentSealerBackend;
}

export function createEncryptStream(
  fileKey: Uint8Array,
  options: EncryptStreamOptions,
): TransformStream<Uint8Array, Uint8Array> {
  return createEncryptStreamInternal(fileKey, options, { random: systemRandom });
}

export function createEncryptStreamInternal(
  fileKey: Uint8Array,
  options: EncryptStreamOptions,
  internals: EncryptStreamInternals,
): TransformStream<Uint8Array, Uint8Array> {
  assertFileKey(fileKey);
  assertAssociatedData(options.associatedData);
  const padToLength = options.padToLength;
  if (padToLength !== undefined && (!Number.isSafeInteger(padToLength) || padToLength < 0)) {
    throw new InvalidInputError("padToLength must be a non-negative integer");
  }
  const header =
    options.header !== undefined
      ? streamHeaderFromOption(options.header, options.segmentSize)
      : newStreamHeader(options.segmentSize ?? DEFAULT_SEGMENT_SIZE, internals.random ?? systemRandom);
  const encryptor = new SegmentEncryptor(
    fileKey,
    options.associatedData.slice(),
    header,
    padToLength,
    internals.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    internals.sealer,
  );
  return new TransformStream<Uint8Array, Uint8Array>(
    {
      start: (controller) => encryptor.start(controller),
      transform: (chunk, controller) => encryptor.write(chunk, controller),
      flush: (controller) => encryptor.finish(controller),
    },
    undefined,
    // Room for two queued output segments (counted in bytes: a segment may come out as several chunks):
    // flush() sees the reader's demand through desiredSize (see waitForReadableDemand) and only sleeps
    // when the reader is really behind, not after every segment.
    { highWaterMark: 2 * (header.segmentSize + TAG_LENGTH), size: (chunk) => chunk.byteLength },
  );
}

/** Cuts the input into segments, holding back the newest full one until it is known not to be the last. */
class SegmentEncryptor {
  private sealer: SegmentSealer | undefined;
  private readonly queue: OrderedSegmentQueue<Uint8Array[]>;
  private index = 0;
  private accepted = 0;
  /** Partial segment being filled (always an owned buffer). */
  private fill: Uint8Array | undefined;
  private fillLength = 0;
  /** A full segment waiting for one more byte (or the end) to decide its last flag. */
  private held: Uint8Array | undefined;
  private heldOwned = false;
  /** Owned segment buffers whose encryption finished, reused to avoid allocating per segment. */
  private readonly spare: Uint8Array[] = [];

  constructor(
    private readonly fileKey: Uint8Array,
    private readonly associatedData: Uint8Array,
    private readonly header: StreamHeader,
    private readonly padToLength: number | undefined,
    maxInFlight: number,
    private readonly sealerBackend: SegmentSealerBackend | undefined,
  ) {
    this.queue = new OrderedSegmentQueue(maxInFlight);
  }

  async start(controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    this.sealer = await createSegmentSealer(
      this.fileKey,
      this.header,
      this.associatedData,
      this.sealerBackend,
    );
    controller.enqueue(this.header.bytes.slice());
  }

  async write(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    if (!(chunk instanceof Uint8Array)) throw new InvalidInputError("Stream chunks must be Uint8Array");
    this.accepted += chunk.length;
    if (this.padToLength !== undefined && this.accepted > this.padToLength) {
      throw new InvalidInputError(`The input is longer than padToLength (${this.padToLength})`);
    }
    await this.push(chunk, controller);
  }

  async finish(controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    if (this.padToLength !== undefined && this.padToLength > this.accepted) {
      const size = this.header.segmentSize;
      const zeros = new Uint8Array(Math.min(size, this.padToLength - this.accepted));
      for (let left = this.padToLength - this.accepted; left > 0; left -= zeros.length) {
        // flush() gets no backpressure from the stream machinery, so wait for the reader before each segment.
        await waitForReadableDemand(controller);
        await this.push(left >= zeros.length ? zeros : zeros.subarray(0, left), controller);
      }
    }
    if (this.held !== undefined) {
      this.dispatch(this.held, this.heldOwned, true);
      this.held = undefined;
    } else {
      // The final segment: a partial one, or the single empty segment of an empty plaintext.
      const last = this.fill?.subarray(0, this.fillLength) ?? new Uint8Array(0);
      this.dispatch(last, this.fill !== undefined, true);
      this.fill = undefined;
    }
    await this.queue.drainAll((parts) => enqueueAll(controller, parts));
  }

  private async push(
    bytes: Uint8Array,
    controller: TransformStreamDefaultController<Uint8Array>,
  ): Promise<void> {
    const size = this.header.segmentSize;
    let offset = 0;
    while (offset < bytes.length) {
      if (this.held !== undefined) {
        // More input follows, so the held segment is not the last one.
        this.dispatch(this.held, this.heldOwned, false);
        this.held = undefined;
        await this.queue.drainToCapacity((parts) => enqueueAll(controller, parts));
      }
      if (this.fillLength === 0 && bytes.length - offset >= size) {
        // A whole segment inside the chunk: encrypt it in place, no copy (input chunks are never written to).
        this.held = bytes.subarray(offset, offset + size);
        this.heldOwned = false;
        offset += size;
        continue;
      }
      this.fill ??= this.spare.pop() ?? new Uint8Array(size);
      const n = Math.min(size - this.fillLength, bytes.length - offset);
      this.fill.set(bytes.subarray(offset, offset + n), this.fillLength);
      this.fillLength += n;
      offset += n;
      if (this.fillLength === size) {
        this.held = this.fill;
        this.heldOwned = true;
        this.fill = undefined;
        this.fillLength = 0;
      }
    }
  }

  private dispatch(plaintext: Uint8Array, owned: boolean, isLast: boolean): void {
    const sealer = this.sealer;
    if (sealer === undefined) throw new Error("The stream key is not ready");
    const index = this.index++;
    const encrypted = sealer.seal(index, isLast, plaintext);
    this.queue.add(
      owned && plaintext.length === this.header.segmentSize
        ? encrypted.then((out) => {
            this.spare.push(plaintext);
            return out;
          })
        : encrypted,
    );
  }
}

function enqueueAll(controller: TransformStreamDefaultController<Uint8Array>, parts: Uint8Array[]): void {
  for (const part of parts) controller.enqueue(part);
}
