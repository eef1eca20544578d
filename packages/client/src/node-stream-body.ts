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

/**
 * In Node, tus-js-client pipes a `Readable` body into the request (Content-Length from its `size`, as on a
 * Blob), so a PATCH can stream views of the ciphertext with no copy and no buffer of the PATCH's size.
 */
export function nodeStreamBody(chunks: AsyncIterable<Uint8Array>, size: number): StreamBody {
  if (!stream) throw new Error("Streamed request bodies need Node");
  // A small high-water mark: the body pulls a chunk only when the socket wants it.
  const body = stream.Readable.from(chunks, { objectMode: false, highWaterMark: 64 * 1024 });
  return Object.assign(body, { size });
}
