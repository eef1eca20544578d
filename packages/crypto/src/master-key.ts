import { assertIdField } from "./associated-data.js";
import { assertKey32 } from "./envelope.js";
import { InvalidInputError, TamperedError, WrongPasswordError } from "./errors.js";
import { assertKdfParams, deriveWrappingKey, type KdfParams, newKdfParamsWith } from "./kdf.js";
import { passwordMasterKeyContext } from "./key-context.js";
import { type RandomSource, systemRandom } from "./random.js";
import { unwrapKey, wrapKeyWith } from "./wrap.js";

export const KEY_LENGTH = 32;

/** Internal: a 32-byte symmetric key from an injected random source. */
export function generateKeyWith(random: RandomSource): Uint8Array {
  const key = random(KEY_LENGTH);
  if (key.length !== KEY_LENGTH) throw new InvalidInputError("The random source returned a wrong-sized key");
  return key;
}

/** The root of a user's key hierarchy: 32 random bytes, never sent anywhere unwrapped. */
export function generateMasterKey(): Uint8Array {
  return generateKeyWith(systemRandom);
}

export function generateAlbumKey(): Uint8Array {
  return generateKeyWith(systemRandom);
}

export function generateFileKey(): Uint8Array {
  return generateKeyWith(systemRandom);
}

/** The master key wrapped under the password (what the key bundle stores as `kdf` + `passwordWrappedMasterKey`). */
export interface PasswordWrappedMasterKey {
  kdf: KdfParams;
  wrapped: Uint8Array;
}

/** Internal: wrapMasterKeyWithPassword with an injected random source (salt, then IV). */
export async function wrapMasterKeyWithPasswordWith(
  random: RandomSource,
  masterKey: Uint8Array,
  password: string,
  userId: string,
  params?: KdfParams,
): Promise<PasswordWrappedMasterKey> {
  assertKey32(masterKey, "The master key");
  assertIdField(userId, "userId");
  const kdf = params ?? newKdfParamsWith(random);
  assertKdfParams(kdf);
  const wrappingKey = await deriveWrappingKey(password, kdf);
  const wrapped = await wrapKeyWith(random, wrappingKey, masterKey, passwordMasterKeyContext(userId));
  return { kdf: { algorithm: kdf.algorithm, iterations: kdf.iterations, salt: kdf.salt }, wrapped };
}

/**
 * Wraps the master key under a key derived from the password (fresh KDF parameters unless given).
 * Changing the password is just this again with the same master key: nothing else is re-encrypted.
 */
export function wrapMasterKeyWithPassword(
  masterKey: Uint8Array,
  password: string,
  userId: string,
  params?: KdfParams,
): Promise<PasswordWrappedMasterKey> {
  return wrapMasterKeyWithPasswordWith(systemRandom, masterKey, password, userId, params);
}

/**
 * Checks the KDF parameters (WEAK_KDF_PARAMS on a downgrade) before deriving anything, then unwraps.
 * Authentication failure → WrongPasswordError: with the right password a mismatch is not expected.
 */
export async function unwrapMasterKeyWithPassword(
  bundle: PasswordWrappedMasterKey,
  password: string,
  userId: string,
): Promise<Uint8Array> {
  if (typeof bundle !== "object" || bundle === null)
    throw new InvalidInputError("Missing wrapped master key");
  assertKdfParams(bundle.kdf);
  assertIdField(userId, "userId");
  const wrappingKey = await deriveWrappingKey(password, bundle.kdf);
  try {
    return await unwrapKey(wrappingKey, bundle.wrapped, passwordMasterKeyContext(userId));
  } catch (error) {
    if (error instanceof TamperedError) throw new WrongPasswordError(undefined, { cause: error });
    throw error;
  }
}
