import { UmbraClientError } from "./errors.js";
import type { UploadSource } from "./metadata.js";

/**
 * A small file read once into memory: its digest and its encryption then share one read instead of two
 * (the second pass over every file was a large part of upload CPU). The caller bounds the size.
 */
export async function readSourceBytes(source: UploadSource): Promise<Uint8Array> {
  const bytes = new Uint8Array(source.size);
  let filled = 0;
  const reader = source.open().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.length > bytes.length) throw changed(source);
      bytes.set(value, filled);
      filled += value.length;
    }
  } finally {
    reader.releaseLock();
  }
  if (filled !== bytes.length) throw changed(source);
  return bytes;
}

function changed(source: UploadSource): UmbraClientError {
  return new UmbraClientError("INVALID_INPUT", `${source.name} changed while it was being read; try again`);
}

/** The bytes as a stream of one chunk; encryption reads input chunks without writing to them. */
export function streamOfBytes(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}
