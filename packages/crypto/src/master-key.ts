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
  ahead?: WrappingKeyAhead,
): Promise<Uint8Array> {
  if (typeof bundle !== "object" || bundle === null)
    throw new InvalidInputError("Missing wrapped master key");
  assertKdfParams(bundle.kdf);
  assertIdField(userId, "userId");
  const early = ahead && sameKdfParams(ahead.kdf, bundle.kdf) ? await ahead.key : undefined;
  if (ahead && !early) void ahead.key.then((unused) => unused?.fill(0));
  const wrappingKey = early ?? (await deriveWrappingKey(password, bundle.kdf));
  try {
    return await unwrapKey(wrappingKey, bundle.wrapped, passwordMasterKeyContext(userId));
  } catch (error) {
    if (error instanceof TamperedError) throw new WrongPasswordError(undefined, { cause: error });
    throw error;
  }
}

/** A password wrapping key being derived before the key bundle arrives, from parameters announced earlier. */
export interface WrappingKeyAhead {
  readonly kdf: KdfParams;
  /** Undefined when the announced parameters were refused or the derivation failed. */
  readonly key: Promise<Uint8Array | undefined>;
  /** Settles once the derivation runs: wait for it before blocking this thread (OPAQUE's key stretching). */
  readonly started: Promise<void>;
}

/**
 * Starts deriving the wrapping key from parameters the server announced before authenticating (SPEC §3.1).
 * They are only a hint: weak ones are never derived with, and `unwrapMasterKeyWithPassword` uses the result
 * only if the key bundle's own parameters are the same.
 */
export function deriveWrappingKeyAhead(password: string, kdf: unknown): WrappingKeyAhead | undefined {
  try {
    assertKdfParams(kdf);
  } catch {
    return undefined;
  }
  const params = { algorithm: kdf.algorithm, iterations: kdf.iterations, salt: kdf.salt };
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const key = deriveWrappingKey(password, params, markStarted)
    .catch(() => undefined)
    .finally(markStarted);
  return { kdf: params, key, started };
}

function sameKdfParams(a: KdfParams, b: KdfParams): boolean {
  return a.algorithm === b.algorithm && a.iterations === b.iterations && a.salt === b.salt;
}
