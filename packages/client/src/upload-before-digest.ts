import { contentDigest } from "@umbra/crypto";
import type { UploadSource } from "./metadata.js";

/**
 * A large new file starts uploading before its digest is known (reading and hashing it first left the upload
 * waiting for as long as a third of its own time). Resuming after a crash must still prove the plaintext
 * unchanged (other bytes under the recorded nonces would be a nonce reuse), so until the whole digest is
 * recorded only the first `prefixBytes` of plaintext are encrypted and sent, and their own digest is recorded
 * first: a re-run that finds the same prefix resumes, since nothing beyond it left the device.
 */

/** Hashing runs about four times faster than sending: by the time a quarter is sent, the digest is known. */
export function prefixBytesOf(size: number, minimum: number): number {
  return Math.min(size, Math.max(minimum, Math.floor(size / 4)));
}

/** The keyed content digest of the source's first `bytes` bytes. */
export async function prefixDigestOf(
  dedupKey: Uint8Array,
  source: UploadSource,
  bytes: number,
): Promise<string> {
  return contentDigest(dedupKey, firstBytes(source.open(), bytes));
}

async function* firstBytes(stream: ReadableStream<Uint8Array>, bytes: number): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (let left = bytes; left > 0; ) {
      const { done, value } = await reader.read();
      if (done) return;
      const part = value.length > left ? value.subarray(0, left) : value;
      left -= part.length;
      yield part;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Passes the first `bytes` bytes at once and the rest once `opened` resolves (an error if it rejects). */
export function gateAfter(bytes: number, opened: Promise<unknown>): TransformStream<Uint8Array, Uint8Array> {
  let passed = 0;
  let open = false;
  return new TransformStream({
    async transform(chunk, controller) {
      if (!open && passed + chunk.length > bytes) {
        const before = Math.max(0, bytes - passed);
        if (before > 0) controller.enqueue(chunk.subarray(0, before));
        passed += before;
        await opened;
        open = true;
        chunk = chunk.subarray(before);
      }
      passed += chunk.length;
      if (chunk.length > 0) controller.enqueue(chunk);
    },
  });
}
