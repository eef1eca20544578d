import { concatBytes } from "./bytes.js";
import { InvalidInputError, TamperedError, UnsupportedVersionError } from "./errors.js";
import { importAesGcmKey } from "./hkdf.js";
import type { RandomSource } from "./random.js";

/**
 * The AEAD envelope shared by wrapped keys, metadata, thumbnails and album names:
 * `version (1 byte) ‖ IV (12 bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes)`.
 */
export const ENVELOPE_VERSION = 0x01;
export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;
export const ENVELOPE_OVERHEAD = 1 + IV_LENGTH + TAG_LENGTH;

export function assertKey32(key: unknown, what: string): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new InvalidInputError(`${what} must be a 32-byte Uint8Array`);
  }
}

export async function sealEnvelope(
  random: RandomSource,
  key: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): Promise<Uint8Array> {
  assertKey32(key, "The key");
  if (!(plaintext instanceof Uint8Array)) throw new InvalidInputError("The plaintext must be a Uint8Array");
  const iv = random(IV_LENGTH);
  if (iv.length !== IV_LENGTH) throw new InvalidInputError("The random source returned a wrong-sized IV");
  const ciphertext = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: iv as BufferSource,
      additionalData: associatedData as BufferSource,
      tagLength: 128,
    },
    await importAesGcmKey(key),
    plaintext as BufferSource,
  );
  return concatBytes(Uint8Array.of(ENVELOPE_VERSION), iv, new Uint8Array(ciphertext));
}

/** Opens an envelope; any authentication failure (wrong key, wrong associated data, modified bytes) is TAMPERED. */
export async function openEnvelope(
  key: Uint8Array,
  envelope: Uint8Array,
  associatedData: Uint8Array,
): Promise<Uint8Array> {
  assertKey32(key, "The key");
  if (!(envelope instanceof Uint8Array)) throw new InvalidInputError("The ciphertext must be a Uint8Array");
  if (envelope.length === 0) throw new TamperedError("The ciphertext is empty");
  if (envelope[0] !== ENVELOPE_VERSION) {
    throw new UnsupportedVersionError(
      `Unsupported envelope version ${envelope[0]} (this client reads version 1)`,
    );
  }
  if (envelope.length < ENVELOPE_OVERHEAD) throw new TamperedError("The ciphertext is too short");
  const aesKey = await importAesGcmKey(key);
  try {
    const plaintext = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: envelope.subarray(1, 1 + IV_LENGTH) as BufferSource,
        additionalData: associatedData as BufferSource,
        tagLength: 128,
      },
      aesKey,
      envelope.subarray(1 + IV_LENGTH) as BufferSource,
    );
    return new Uint8Array(plaintext);
  } catch (error) {
    throw new TamperedError(undefined, { cause: error });
  }
}
