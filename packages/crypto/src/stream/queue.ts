/**
 * Segment operations in flight, released strictly in submission order. Bounding the count bounds memory and,
 * because the stream's transform() awaits drainToCapacity, propagates backpressure to the writer.
 */
export class OrderedSegmentQueue<T = Uint8Array> {
  private readonly pending: Promise<T>[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be a positive integer");
  }

  get size(): number {
    return this.pending.length;
  }

  add(operation: Promise<T>): void {
    // Later operations may fail after an earlier failure has ended the stream: never leave them unhandled.
    operation.catch(() => {});
    this.pending.push(operation);
  }

  /** Releases the oldest results until fewer than `capacity` operations are in flight. */
  async drainToCapacity(emit: (result: T) => void): Promise<void> {
    while (this.pending.length >= this.capacity) emit(await this.pending.shift()!);
  }

  async drainAll(emit: (result: T) => void): Promise<void> {
    while (this.pending.length > 0) emit(await this.pending.shift()!);
  }
}

/**
 * Resolves once the readable side wants more data. Only used from flush(), which the stream machinery calls
 * without backpressure; needs a readable highWaterMark of at least 1 so desiredSize turns positive. Polls,
 * because a TransformStream exposes no "reader wants more" event to flush().
 */
export async function waitForReadableDemand(
  controller: TransformStreamDefaultController<Uint8Array>,
): Promise<void> {
  while (controller.desiredSize !== null && controller.desiredSize <= 0) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
