// Shared by this folder's tests, the vector generator and the benchmark; not exported from the package.
import { concatBytes } from "../bytes.js";

/** Splits bytes into chunks of the given sizes (cycled), to exercise arbitrary input chunking. */
export function chunksOf(bytes: Uint8Array, sizes: number[] = [bytes.length]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = Math.max(1, sizes[i++ % sizes.length]!);
    out.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return out;
}

/** Pipes chunks through a transform; returns what came out before any error, and the error. */
export async function runTransform(
  transform: TransformStream<Uint8Array, Uint8Array>,
  chunks: Uint8Array[],
): Promise<{ output: Uint8Array; error: unknown }> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const parts: Uint8Array[] = [];
  let error: unknown;
  try {
    const reader = source.pipeThrough(transform).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
  } catch (caught) {
    error = caught;
  }
  return { output: concatBytes(...parts), error };
}

/** Like runTransform, but throws the error. */
export async function transformAll(
  transform: TransformStream<Uint8Array, Uint8Array>,
  chunks: Uint8Array[],
): Promise<Uint8Array> {
  const { output, error } = await runTransform(transform, chunks);
  if (error !== undefined) throw error;
  return output;
}

/** Deterministic, non-cryptographic filler bytes (xorshift32), so tests and vectors need no stored plaintext. */
export function patternBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
