import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { toBase64Url, utf8Encode } from "./bytes.js";
import { assertKey32 } from "./envelope.js";
import { InvalidInputError } from "./errors.js";
import { hkdfSha256 } from "./hkdf.js";

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
 * Incremental HMAC-SHA256 over a file's plaintext (noble: Web Crypto HMAC cannot be fed in chunks).
 * Keyed per user, so equal files give equal digests only within one account.
 */
export function createContentDigest(dedupKey: Uint8Array): ContentDigest {
  assertKey32(dedupKey, "The dedup key");
  const mac = hmac.create(sha256, dedupKey);
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
