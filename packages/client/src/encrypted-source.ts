/**
 * A tus-js-client FileSource over a ciphertext stream that is produced on demand. tus asks for
 * slices in increasing order; after an interruption it asks from the server's offset, so the source
 * re-creates the (deterministic) ciphertext stream and discards what the server already has.
 * While tus sends one slice, the next is already being read and encrypted (read-ahead bounded by
 * `readAhead` bytes), so encryption and network overlap and memory stays bounded whatever the file size.
 * A slice is either copied into one buffer (`slice`, what a browser's XHR needs) or handed out lazily as
 * views of the ciphertext chunks (`sliceChunks`, for a streamed request body: no copy, and a slice can be
 * far larger than the memory it uses).
 */
export interface SliceResult {
  value: Uint8Array;
  done: boolean;
}

export class EncryptedSource {
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** Stream offset of queue[0]. */
  private queueStart = 0;
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: unknown;
  private pumping: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly size: number,
    private readonly openCiphertext: () => ReadableStream<Uint8Array>,
    private readonly readAhead = 8 * 1024 * 1024,
  ) {}

  private restart(): void {
    void this.reader?.cancel().catch(() => {});
    this.reader = this.openCiphertext().getReader();
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.queueStart = 0;
    this.ended = false;
    this.failure = undefined;
    const reader = this.reader;
    this.pumping = this.pump(reader);
  }

  /** Reads ahead until `readAhead` bytes are queued, then waits for the consumer. */
  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        while (this.queuedBytes >= this.readAhead && reader === this.reader) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
        if (reader !== this.reader) return;
        const { value, done } = await reader.read();
        if (reader !== this.reader) return;
        if (done) {
          this.ended = true;
          break;
        }
        this.queue.push(value);
        this.queuedBytes += value.length;
        this.notify();
      }
    } catch (error) {
      if (reader === this.reader) this.failure = error;
    }
    this.notify();
  }

  private waiters: (() => void)[] = [];
  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async slice(start: number, end: number): Promise<SliceResult> {
    end = Math.min(end, this.size);
    const out = new Uint8Array(Math.max(0, end - start));
    let filled = 0;
    for await (const part of this.sliceChunks(start, end)) {
      out.set(part, filled);
      filled += part.length;
    }
    return { value: out, done: end >= this.size };
  }

  /** Incremented by every slice: an abandoned slice's iterator stops instead of racing the new one. */
  private generation = 0;

  /**
   * Bytes [start, end) as views of the stream's chunks, produced as they are iterated. Only the latest
   * slice may be iterated: starting another one ends the previous one's iteration.
   */
  async *sliceChunks(start: number, end: number): AsyncGenerator<Uint8Array, void, undefined> {
    end = Math.min(end, this.size);
    const generation = ++this.generation;
    if (!this.reader || start < this.queueStart) this.restart();
    let position = start;
    while (position < end) {
      if (generation !== this.generation) throw new Error("A newer slice of this upload superseded this one");
      const head = this.queue[0];
      if (head) {
        const headEnd = this.queueStart + head.length;
        if (headEnd <= position) {
          // Entirely before what is wanted (already on the server): drop it.
          this.dropHead();
          continue;
        }
        const from = position - this.queueStart;
        const take = Math.min(head.length - from, end - position);
        const part = head.subarray(from, from + take);
        position += take;
        if (from + take === head.length) this.dropHead();
        yield part;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended) break;
      await this.changed();
    }
    if (position !== end) throw new Error(`The ciphertext stream ended at ${position}, expected ${end}`);
  }

  private dropHead(): void {
    const head = this.queue.shift()!;
    this.queueStart += head.length;
    this.queuedBytes -= head.length;
    this.wake?.();
    this.wake = undefined;
  }

  close(): void {
    void this.reader?.cancel().catch(() => {});
    this.reader = undefined;
    this.wake?.();
    void this.pumping;
  }
}
