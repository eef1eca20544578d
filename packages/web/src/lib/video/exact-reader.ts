/**
 * Reads a byte stream in pieces of exactly the asked length (one ciphertext segment at a time), whatever the
 * sizes of the chunks the network delivers. Holds at most one piece plus one network chunk.
 */
export class ExactReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private pending: Uint8Array = new Uint8Array(0);

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** Exactly `length` bytes, or fewer when the stream ended first (the caller decides what a short read means). */
  async read(length: number): Promise<Uint8Array> {
    if (this.pending.length >= length) return this.take(length);
    const out = new Uint8Array(length);
    let filled = this.pending.length;
    out.set(this.pending);
    this.pending = new Uint8Array(0);
    while (filled < length) {
      const { done, value } = await this.reader.read();
      if (done) return out.subarray(0, filled);
      const used = Math.min(value.length, length - filled);
      out.set(value.subarray(0, used), filled);
      filled += used;
      if (used < value.length) this.pending = value.subarray(used);
    }
    return out;
  }

  cancel(reason?: unknown): Promise<void> {
    return this.reader.cancel(reason).catch(() => {});
  }

  private take(length: number): Uint8Array {
    const out = this.pending.subarray(0, length);
    this.pending = this.pending.subarray(length);
    return out;
  }
}
