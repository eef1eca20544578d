import { InvalidResponseError } from "./errors.js";

/** `THUMBNAIL_BATCH_ABSENT` of @umbra/protocol, repeated here so worker bundles need no zod (a test ties them). */
export const BATCH_ABSENT_LENGTH = 0xffffffff;

/**
 * The ciphertexts of a `POST /api/thumbnails` answer asked for `count` ids, in order; null where the server
 * marked one absent. The answer is the server's word only about framing: each ciphertext is still opened with its
 * own file's key, bound to that file id and variant, so a thumbnail moved to another id fails as TAMPERED.
 */
export function parseThumbnailBatch(body: Uint8Array, count: number): (Uint8Array | null)[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out: (Uint8Array | null)[] = [];
  let at = 0;
  while (out.length < count) {
    if (at + 4 > body.length)
      throw new InvalidResponseError(`The thumbnail batch ended after ${out.length} of ${count} thumbnails`);
    const length = view.getUint32(at);
    at += 4;
    if (length === BATCH_ABSENT_LENGTH) {
      out.push(null);
      continue;
    }
    if (at + length > body.length)
      throw new InvalidResponseError(`Thumbnail ${out.length + 1} of the batch is cut short`);
    out.push(body.subarray(at, at + length));
    at += length;
  }
  if (at !== body.length)
    throw new InvalidResponseError("The thumbnail batch has bytes after its last thumbnail");
  return out;
}
