import { toBase64Url, utf8Encode } from "./bytes.js";
import { assertKey32 } from "./envelope.js";
import { InvalidInputError } from "./errors.js";
import { hkdfSha256 } from "./hkdf.js";
import { createHmacSha256, type HmacSha256Factory } from "./hmac-sha256.js";

export const DEDUP_KEY_INFO = "umbra/v1/dedup";

/** The user's duplicate-detection key: HKDF-SHA256(masterKey, salt = empty, info = "umbra/v1/dedup"). */
export function deriveDedupKey(masterKey: Uint8Array): Promise<Uint8Array> {
  assertKey32(masterKey, "The master key");
  return hkdfSha256(masterKey, new Uint8Array(0), utf8Encode(DEDUP_KEY_INFO), 32);
}

export interface ContentDigest {
  update(bytes: Uint8Array): ContentDigest;
  /** base64url(HMAC-SHA256(dedupKey, content)); may be called once. */
  digest(): string;
}

/**
 * Incremental HMAC-SHA256 over a file's plaintext (node:crypto in Node, noble elsewhere: Web Crypto HMAC
 * cannot be fed in chunks). Keyed per user, so equal files give equal digests only within one account.
 */
export function createContentDigest(
  dedupKey: Uint8Array,
  hmacSha256: HmacSha256Factory = createHmacSha256,
): ContentDigest {
  assertKey32(dedupKey, "The dedup key");
  const mac = hmacSha256(dedupKey);
  let done = false;
  const digest: ContentDigest = {
    update(bytes) {
      if (done) throw new InvalidInputError("The content digest is already finished");
      if (!(bytes instanceof Uint8Array)) throw new InvalidInputError("Content must be Uint8Array chunks");
      mac.update(bytes);
      return digest;
    },
    digest() {
      if (done) throw new InvalidInputError("The content digest is already finished");
      done = true;
      return toBase64Url(mac.digest());
    },
  };
  return digest;
}

/** One-shot form over bytes, a WHATWG ReadableStream or any (async) iterable of chunks. */
export async function contentDigest(
  dedupKey: Uint8Array,
  content: Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<string> {
  const digest = createContentDigest(dedupKey);
  if (content instanceof Uint8Array) return digest.update(content).digest();
  if (typeof ReadableStream !== "undefined" && content instanceof ReadableStream) {
    const byob = byobReader(content);
    if (byob) {
      // A byte stream: read the whole content through one reused buffer (no allocation per chunk).
      let buffer = new Uint8Array(BYOB_BUFFER_BYTES);
      for (;;) {
        const { done, value } = await byob.read(buffer);
        if (done || !value) break;
        digest.update(value);
        buffer = new Uint8Array(value.buffer);
      }
      return digest.digest();
    }
    const reader = content.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      digest.update(value);
    }
    return digest.digest();
  }
  for await (const chunk of content as AsyncIterable<Uint8Array>) digest.update(chunk);
  return digest.digest();
}

const BYOB_BUFFER_BYTES = 1024 * 1024;

/** A BYOB reader when the stream is a byte stream, else undefined (getReader throws for other streams). */
function byobReader(stream: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return stream.getReader({ mode: "byob" });
  } catch {
    return undefined;
  }
}
