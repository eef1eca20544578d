import { toBase64Url } from "@umbra/crypto";
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

/** Bytes hashed per Web Crypto call by prefixDigestOf. */
const PREFIX_PIECE_BYTES = 4 * 1024 * 1024;
const PREFIX_DOMAIN = new TextEncoder().encode("umbra upload prefix v1");

/**
 * A keyed digest of the source's first `bytes` bytes, kept only in the local resume state: HMAC-SHA256 under
 * the dedup key of the SHA-256 of each 4 MiB piece. Web Crypto hashes natively and off the page's thread,
 * where the content digest's streaming HMAC runs in JS (a quarter of a large video took seconds there).
 */
export async function prefixDigestOf(
  dedupKey: Uint8Array,
  source: UploadSource,
  bytes: number,
): Promise<string> {
  const pieces: Promise<ArrayBuffer>[] = [];
  let piece = new Uint8Array(Math.min(bytes, PREFIX_PIECE_BYTES));
  let filled = 0;
  for await (const part of firstBytes(source.open(), bytes)) {
    for (let from = 0; from < part.length; ) {
      const n = Math.min(piece.length - filled, part.length - from);
      piece.set(part.subarray(from, from + n), filled);
      filled += n;
      from += n;
      if (filled === piece.length) {
        pieces.push(crypto.subtle.digest("SHA-256", piece));
        piece = new Uint8Array(PREFIX_PIECE_BYTES);
        filled = 0;
      }
    }
  }
  if (filled > 0) pieces.push(crypto.subtle.digest("SHA-256", piece.subarray(0, filled)));
  const hashes = await Promise.all(pieces);
  const message = new Uint8Array(PREFIX_DOMAIN.length + 8 + hashes.length * 32);
  message.set(PREFIX_DOMAIN);
  new DataView(message.buffer).setBigUint64(PREFIX_DOMAIN.length, BigInt(bytes));
  hashes.forEach((hash, i) => {
    message.set(new Uint8Array(hash), PREFIX_DOMAIN.length + 8 + i * 32);
  });
  const key = await crypto.subtle.importKey(
    "raw",
    dedupKey as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, message)));
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
