import { InvalidInputError, TamperedError, TruncatedError } from "../errors.js";
import { DEFAULT_MAX_IN_FLIGHT } from "./encrypt.js";
import { parseStreamHeader, STREAM_HEADER_LENGTH, type StreamHeader, TAG_LENGTH } from "./header.js";
import { OrderedSegmentQueue } from "./queue.js";
import { assertAssociatedData, assertFileKey, deriveStreamKey, openSegmentWithKey } from "./segment.js";

export interface DecryptStreamOptions {
  /** The bytes given to createEncryptStream. */
  associatedData: Uint8Array;
  /** The true plaintext length (from the encrypted metadata): output stops there and the padding must be zero. */
  plaintextLength?: number;
}

/** Benchmark knob; not part of the public API. */
export interface DecryptStreamInternals {
  maxInFlight?: number;
}

/**
 * Decrypts a stream made by createEncryptStream. Each segment is authenticated before any of its bytes are
 * released; the first failure errors the stream (TAMPERED, TRUNCATED or UNSUPPORTED_VERSION).
 */
export function createDecryptStream(
  fileKey: Uint8Array,
  options: DecryptStreamOptions,
): TransformStream<Uint8Array, Uint8Array> {
  return createDecryptStreamInternal(fileKey, options, {});
}

export function createDecryptStreamInternal(
  fileKey: Uint8Array,
  options: DecryptStreamOptions,
  internals: DecryptStreamInternals,
): TransformStream<Uint8Array, Uint8Array> {
  assertFileKey(fileKey);
  assertAssociatedData(options.associatedData);
  const { plaintextLength } = options;
  if (plaintextLength !== undefined && (!Number.isSafeInteger(plaintextLength) || plaintextLength < 0)) {
    throw new InvalidInputError("plaintextLength must be a non-negative integer");
  }
  const decryptor = new SegmentDecryptor(
    fileKey.slice(),
    options.associatedData.slice(),
    plaintextLength,
    internals.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
  );
  return new TransformStream<Uint8Array, Uint8Array>({
    transform: (chunk, controller) => decryptor.write(chunk, controller),
    flush: (controller) => decryptor.finish(controller),
  });
}

class SegmentDecryptor {
  private headerBytes: Uint8Array | undefined = new Uint8Array(0);
  private header: StreamHeader | undefined;
  private key: CryptoKey | undefined;
  private stride = 0;
  private readonly queue: OrderedSegmentQueue;
  private index = 0;
  /** Stream plaintext bytes released so far (padding included). */
  private produced = 0;
  private fill: Uint8Array | undefined;
  private fillLength = 0;
  /** A full ciphertext segment waiting for one more byte (or the end) to decide its last flag. */
  private held: Uint8Array | undefined;
  private heldOwned = false;
  /** Owned segment buffers whose decryption finished, reused to avoid allocating per segment. */
  private readonly spare: Uint8Array[] = [];

  constructor(
    private readonly fileKey: Uint8Array,
    private readonly associatedData: Uint8Array,
    private readonly plaintextLength: number | undefined,
    maxInFlight: number,
  ) {
    this.queue = new OrderedSegmentQueue(maxInFlight);
  }

  async write(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    if (!(chunk instanceof Uint8Array)) throw new InvalidInputError("Stream chunks must be Uint8Array");
    let bytes = chunk;
    if (this.header === undefined) {
      bytes = await this.readHeader(chunk);
      if (this.header === undefined) return;
    }
    const emit = (plaintext: Uint8Array) => this.emit(plaintext, controller);
    let offset = 0;
    while (offset < bytes.length) {
      if (this.held !== undefined) {
        // More ciphertext follows, so the held segment must authenticate as a non-last segment.
        this.dispatch(this.held, this.heldOwned, false);
        this.held = undefined;
        await this.queue.drainToCapacity(emit);
      }
      if (this.fillLength === 0 && bytes.length - offset >= this.stride) {
        this.held = bytes.subarray(offset, offset + this.stride);
        this.heldOwned = false;
        offset += this.stride;
        continue;
      }
      this.fill ??= this.spare.pop() ?? new Uint8Array(this.stride);
      const n = Math.min(this.stride - this.fillLength, bytes.length - offset);
      this.fill.set(bytes.subarray(offset, offset + n), this.fillLength);
      this.fillLength += n;
      offset += n;
      if (this.fillLength === this.stride) {
        this.held = this.fill;
        this.heldOwned = true;
        this.fill = undefined;
        this.fillLength = 0;
      }
    }
  }

  async finish(controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    if (this.header === undefined) {
      parseStreamHeader(this.headerBytes ?? new Uint8Array(0));
      throw new TruncatedError("The stream ends inside its header");
    }
    const tail = this.held ?? this.fill?.subarray(0, this.fillLength);
    if (tail === undefined) throw new TruncatedError("The stream ends before its final segment");
    this.held = undefined;
    this.fill = undefined;
    this.queue.add(this.openFinal(tail, this.index++));
    await this.queue.drainAll((plaintext) => this.emit(plaintext, controller));
    if (this.plaintextLength !== undefined && this.produced < this.plaintextLength) {
      throw new TruncatedError(
        `The stream holds ${this.produced} plaintext bytes, fewer than the expected ${this.plaintextLength}`,
      );
    }
  }

  private async readHeader(chunk: Uint8Array): Promise<Uint8Array> {
    const have = this.headerBytes!;
    const need = STREAM_HEADER_LENGTH - have.length;
    const joined = new Uint8Array(have.length + Math.min(need, chunk.length));
    joined.set(have, 0);
    joined.set(chunk.subarray(0, need), have.length);
    if (joined.length < STREAM_HEADER_LENGTH) {
      // Reject a foreign magic or version as soon as those bytes arrive.
      try {
        parseStreamHeader(joined);
      } catch (error) {
        if (!(error instanceof TruncatedError)) throw error;
      }
      this.headerBytes = joined;
      return new Uint8Array(0);
    }
    const header = parseStreamHeader(joined);
    this.key = await deriveStreamKey(this.fileKey, header, this.associatedData);
    this.header = header;
    this.headerBytes = undefined;
    this.stride = header.segmentSize + TAG_LENGTH;
    return chunk.subarray(need);
  }

  private dispatch(segment: Uint8Array, owned: boolean, isLast: boolean): void {
    const index = this.index++;
    this.queue.add(
      openSegmentWithKey(this.key!, this.header!.noncePrefix, index, isLast, segment).then((plaintext) => {
        // Reuse the buffer only once Web Crypto is done with it.
        if (owned) this.spare.push(segment);
        if (plaintext === null) throw new TamperedError(`Stream segment ${index} failed authentication`);
        return plaintext;
      }),
    );
  }

  /** The final segment must carry the last flag; if it only opens without it, the stream was cut short. */
  private async openFinal(segment: Uint8Array, index: number): Promise<Uint8Array> {
    const noncePrefix = this.header!.noncePrefix;
    const plaintext = await openSegmentWithKey(this.key!, noncePrefix, index, true, segment);
    if (plaintext !== null) return plaintext;
    if ((await openSegmentWithKey(this.key!, noncePrefix, index, false, segment)) !== null) {
      throw new TruncatedError(`The stream ends after segment ${index}, which is not its last segment`);
    }
    throw new TamperedError(`Final stream segment ${index} failed authentication`);
  }

  /** Releases authenticated plaintext, cut at plaintextLength; bytes past it are padding and must be zero. */
  private emit(plaintext: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): void {
    const start = this.produced;
    this.produced += plaintext.length;
    if (this.plaintextLength === undefined) {
      controller.enqueue(plaintext);
      return;
    }
    const keep = Math.max(0, Math.min(plaintext.length, this.plaintextLength - start));
    for (let i = keep; i < plaintext.length; i++) {
      if (plaintext[i] !== 0) throw new TamperedError("The padding after the plaintext is not zero");
    }
    if (keep > 0) controller.enqueue(keep === plaintext.length ? plaintext : plaintext.subarray(0, keep));
  }
}
