import { sha256 } from "@noble/hashes/sha2.js";
import { toBase64Url } from "./bytes.js";
import { InvalidInputError } from "./errors.js";

/** SHA-256 of the whole ciphertext blob (bytes or a stream of them), base64url. */
export async function ciphertextDigest(blob: Uint8Array | ReadableStream<Uint8Array>): Promise<string> {
  if (blob instanceof Uint8Array) return toBase64Url(sha256(blob));
  if (!(blob instanceof ReadableStream))
    throw new InvalidInputError("The blob must be bytes or a ReadableStream");
  const hash = sha256.create();
  const reader = blob.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array))
      throw new InvalidInputError("The blob stream must yield Uint8Array chunks");
    hash.update(value);
  }
  return toBase64Url(hash.digest());
}
