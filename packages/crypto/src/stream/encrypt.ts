import { InvalidInputError } from "../errors.js";
import { type RandomSource, systemRandom } from "../random.js";
import {
  encodeStreamHeader,
  isValidSegmentSize,
  NONCE_PREFIX_LENGTH,
  SALT_LENGTH,
  type StreamHeader,
} from "./header.js";
import { OrderedSegmentQueue, waitForReadableDemand } from "./queue.js";
import { assertAssociatedData, assertFileKey, deriveStreamKey, encryptSegmentWithKey } from "./segment.js";

/**
 * 256 KiB: among the fastest in Chromium (1 MiB and up is 3-4x slower there) and within noise of the best in
 * Node; see the measurements in docs/drafts/stream-format.md.
 */
export const DEFAULT_SEGMENT_SIZE = 256 * 1024;
/** Segment encryptions kept in flight: enough to use every core, small enough to bound memory. */
export const DEFAULT_MAX_IN_FLIGHT = 4;

export interface EncryptStreamOptions {
  /** Bound into the subkey: decryption needs the same bytes (e.g. the file id). */
  associatedData: Uint8Array;
  /** Plaintext bytes per segment: a power of two from 16 KiB to 8 MiB. */
  segmentSize?: number;
  /** Appends zero bytes after the input up to this plaintext length, so the stored size reveals only it. */
  padToLength?: number;
}

/** Test-vector and benchmark knobs; not part of the public API. */
export interface EncryptStreamInternals {
  random?: RandomSource;
  maxInFlight?: number;
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
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  if (!isValidSegmentSize(segmentSize)) {
    throw new InvalidInputError("segmentSize must be a power of two between 16 KiB and 8 MiB");
  }
  const padToLength = options.padToLength;
  if (padToLength !== undefined && (!Number.isSafeInteger(padToLength) || padToLength < 0)) {
    throw new InvalidInputError("padToLength must be a non-negative integer");
  }
  const random = internals.random ?? systemRandom;
  const salt = random(SALT_LENGTH);
  const noncePrefix = random(NONCE_PREFIX_LENGTH);
  if (salt.length !== SALT_LENGTH || noncePrefix.length !== NONCE_PREFIX_LENGTH) {
    throw new InvalidInputError("The random source returned the wrong number of bytes");
  }
  const header = encodeStreamHeader(segmentSize, salt, noncePrefix);
  const encryptor = new SegmentEncryptor(
    fileKey,
    options.associatedData.slice(),
    header,
    padToLength,
    internals.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
  );
  return new TransformStream<Uint8Array, Uint8Array>(
    {
      start: (controller) => encryptor.start(controller),
      transform: (chunk, controller) => encryptor.write(chunk, controller),
      flush: (controller) => encryptor.finish(controller),
    },
    undefined,
    // Room for two queued output chunks: flush() sees the reader's demand through desiredSize (see
    // waitForReadableDemand) and only sleeps when the reader is really behind, not after every segment.
    { highWaterMark: 2 },
  );
}

/** Cuts the input into segments, holding back the newest full one until it is known not to be the last. */
class SegmentEncryptor {
  private key: CryptoKey | undefined;
  private readonly queue: OrderedSegmentQueue;
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
  ) {
    this.queue = new OrderedSegmentQueue(maxInFlight);
  }

  async start(controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    this.key = await deriveStreamKey(this.fileKey, this.header, this.associatedData);
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
    await this.queue.drainAll((bytes) => controller.enqueue(bytes));
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
        await this.queue.drainToCapacity((bytes) => controller.enqueue(bytes));
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
    const key = this.key;
    if (key === undefined) throw new Error("The stream key is not ready");
    const index = this.index++;
    const encrypted = encryptSegmentWithKey(key, this.header.noncePrefix, index, isLast, plaintext);
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
