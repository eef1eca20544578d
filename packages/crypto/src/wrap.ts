import { assertKey32, openEnvelope, sealEnvelope } from "./envelope.js";
import { InvalidInputError } from "./errors.js";
import { type KeyContext, keyContextAssociatedData } from "./key-context.js";
import { type RandomSource, systemRandom } from "./random.js";

function assertWrappableKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length === 0 || key.length > 4096) {
    throw new InvalidInputError("The key to wrap must be a Uint8Array of 1 to 4096 bytes");
  }
}

/** Internal: wrapKey with an injected random source (the test-vector generator replays fixed IVs). */
export async function wrapKeyWith(
  random: RandomSource,
  wrappingKey: Uint8Array,
  key: Uint8Array,
  context: KeyContext,
): Promise<Uint8Array> {
  assertKey32(wrappingKey, "The wrapping key");
  assertWrappableKey(key);
  return sealEnvelope(random, wrappingKey, key, keyContextAssociatedData(context));
}

/** Encrypts `key` under `wrappingKey` (AES-256-GCM), bound to `context`. Output: `0x01 ‖ IV(12) ‖ ct ‖ tag(16)`. */
export function wrapKey(wrappingKey: Uint8Array, key: Uint8Array, context: KeyContext): Promise<Uint8Array> {
  return wrapKeyWith(systemRandom, wrappingKey, key, context);
}

/** Reverses wrapKey. Wrong key, wrong context or modified bytes → TamperedError; unknown version → UnsupportedVersionError. */
export async function unwrapKey(
  wrappingKey: Uint8Array,
  wrapped: Uint8Array,
  context: KeyContext,
): Promise<Uint8Array> {
  assertKey32(wrappingKey, "The wrapping key");
  return openEnvelope(wrappingKey, wrapped, keyContextAssociatedData(context));
}
