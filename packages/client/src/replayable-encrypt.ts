import {
  createEncryptStream,
  type EncryptStreamOptions,
  InvalidInputError,
  STREAM_HEADER_LENGTH,
} from "@umbra/crypto";

/** Random bytes of a stream header: 32-byte salt then 7-byte nonce prefix (see @umbra/crypto stream/header.ts). */
export const STREAM_RANDOM_LENGTH = 39;
const HEADER_RANDOM_OFFSET = STREAM_HEADER_LENGTH - STREAM_RANDOM_LENGTH;

/**
 * createEncryptStream whose header randomness is the given bytes, so a resumed upload re-creates the
 * exact ciphertext the server already holds. @umbra/crypto draws the salt and nonce prefix synchronously
 * from crypto.getRandomValues while the stream is constructed; for that one synchronous call the bytes
 * are replayed instead. The output header is then checked against them, so if the library ever draws
 * its randomness differently the upload fails instead of sending a mismatched ciphertext.
 * Safe only for the same plaintext: callers resume only after matching the keyed content digest.
 */
export function createReplayableEncryptStream(
  fileKey: Uint8Array,
  options: EncryptStreamOptions,
  streamRandom: Uint8Array,
): ReadableWritablePair<Uint8Array, Uint8Array> {
  if (streamRandom.length !== STREAM_RANDOM_LENGTH)
    throw new InvalidInputError("streamRandom must be 39 bytes");
  const target = globalThis.crypto as Crypto & { getRandomValues: Crypto["getRandomValues"] };
  const hadOwn = Object.hasOwn(target, "getRandomValues");
  const original = target.getRandomValues;
  let offset = 0;
  let encrypt: TransformStream<Uint8Array, Uint8Array>;
  target.getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
    const view = new Uint8Array(array!.buffer, array!.byteOffset, array!.byteLength);
    if (offset + view.length > streamRandom.length)
      throw new InvalidInputError("Stream randomness exhausted");
    view.set(streamRandom.subarray(offset, offset + view.length));
    offset += view.length;
    return array;
  };
  try {
    encrypt = createEncryptStream(fileKey, options);
  } finally {
    if (hadOwn) target.getRandomValues = original;
    else delete (target as Partial<Crypto>).getRandomValues;
  }
  let checked = false;
  const check = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!checked) {
        const random = chunk.subarray(HEADER_RANDOM_OFFSET, STREAM_HEADER_LENGTH);
        if (chunk.length < STREAM_HEADER_LENGTH || !random.every((b, i) => b === streamRandom[i])) {
          throw new InvalidInputError("The encryption stream did not use the recorded header randomness");
        }
        checked = true;
      }
      controller.enqueue(chunk);
    },
  });
  return { writable: encrypt.writable, readable: encrypt.readable.pipeThrough(check) };
}
