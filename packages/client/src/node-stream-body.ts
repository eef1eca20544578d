/** The slice of a node:stream Readable used here. */
export interface StreamBody {
  /** Read by tus as on a Blob: the Content-Length. */
  size: number;
  on(event: "error", listener: (error: unknown) => void): unknown;
}

/** The slice of node:stream used here. */
interface NodeStreamModule {
  Readable: {
    from(
      source: AsyncIterable<Uint8Array>,
      options: { objectMode: false; highWaterMark: number },
    ): Omit<StreamBody, "size">;
  };
}

function nodeStream(): NodeStreamModule | undefined {
  // process.getBuiltinModule (Node ≥ 20.16) keeps "node:stream" out of browser bundles.
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const module = proc?.getBuiltinModule?.("node:stream") as NodeStreamModule | undefined;
  return typeof module?.Readable?.from === "function" ? module : undefined;
}

const stream = nodeStream();

/** Whether request bodies can be streamed here (Node), rather than handed over as one buffer (browsers). */
export const canStreamRequestBodies = stream !== undefined;

/** Bytes per write to the socket (see coalesced). */
export const BODY_WRITE_BYTES = 1024 * 1024;

/**
 * In Node, tus-js-client pipes a `Readable` body into the request (Content-Length from its `size`, as on a
 * Blob), so a PATCH streams the ciphertext with no buffer of the PATCH's size.
 */
export function nodeStreamBody(chunks: AsyncIterable<Uint8Array>, size: number): StreamBody {
  if (!stream) throw new Error("Streamed request bodies need Node");
  // A small high-water mark: the body pulls a chunk only when the socket wants it.
  const body = stream.Readable.from(coalesced(chunks), { objectMode: false, highWaterMark: 64 * 1024 });
  return Object.assign(body, { size });
}

/**
 * The chunks gathered into writes of about BODY_WRITE_BYTES. A ciphertext comes as each segment's body and
 * its 16-byte tag: written one by one, that was 2 writes per 64 KiB segment, and the per-write work of the
 * stream, the request and the socket cost more CPU than the one copy made here.
 */
export async function* coalesced(
  chunks: AsyncIterable<Uint8Array>,
  target = BODY_WRITE_BYTES,
): AsyncGenerator<Uint8Array, void, undefined> {
  let buffer: Uint8Array | undefined;
  let filled = 0;
  for await (const part of chunks) {
    if (filled === 0 && part.length >= target) {
      yield part;
      continue;
    }
    let from = 0;
    while (from < part.length) {
      buffer ??= new Uint8Array(target);
      const n = Math.min(target - filled, part.length - from);
      buffer.set(part.subarray(from, from + n), filled);
      filled += n;
      from += n;
      if (filled === target) {
        // The socket may still hold a written buffer: each write gets a new one.
        yield buffer;
        buffer = undefined;
        filled = 0;
      }
    }
  }
  if (buffer && filled > 0) yield buffer.subarray(0, filled);
}
