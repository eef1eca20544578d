import { fromBase64Url, toBase64Url, utf8Encode } from "./bytes.js";
import { InvalidInputError, WeakKdfParamsError } from "./errors.js";
import {
  KDF_ALGORITHM,
  KDF_SALT_LENGTH,
  MAX_KDF_ITERATIONS,
  MAX_KDF_SALT_LENGTH,
  MIN_KDF_ITERATIONS,
} from "./formats.js";
import { type RandomSource, systemRandom } from "./random.js";

// The numbers live in formats.ts (one owner, read by @umbra/protocol too); re-exported here for existing importers.
export { KDF_ALGORITHM, KDF_SALT_LENGTH, MAX_KDF_ITERATIONS, MIN_KDF_ITERATIONS };

/** Password KDF parameters, stored by the server in the key bundle (salt is unpadded base64url). */
export interface KdfParams {
  algorithm: typeof KDF_ALGORITHM;
  iterations: number;
  salt: string;
}

/** Internal: newKdfParams with an injected random source. */
export function newKdfParamsWith(random: RandomSource): KdfParams {
  const salt = random(KDF_SALT_LENGTH);
  if (salt.length !== KDF_SALT_LENGTH)
    throw new InvalidInputError("The random source returned a wrong-sized salt");
  return { algorithm: KDF_ALGORITHM, iterations: MIN_KDF_ITERATIONS, salt: toBase64Url(salt) };
}

/** Fresh parameters for a new or changed password: PBKDF2-SHA256, 600,000 iterations, 32-byte random salt. */
export function newKdfParams(): KdfParams {
  return newKdfParamsWith(systemRandom);
}

/**
 * Rejects parameters weaker than the v1 minimum, whoever supplied them: the server hands them back at login,
 * so accepting less would let a malicious server downgrade the work an offline guesser must do.
 */
export function assertKdfParams(params: unknown): asserts params is KdfParams {
  if (typeof params !== "object" || params === null) throw new InvalidInputError("Missing KDF parameters");
  const { algorithm, iterations, salt } = params as Record<string, unknown>;
  if (algorithm !== KDF_ALGORITHM) {
    throw new WeakKdfParamsError(
      `Unsupported password KDF ${JSON.stringify(algorithm)} (expected ${KDF_ALGORITHM})`,
    );
  }
  if (typeof iterations !== "number" || !Number.isSafeInteger(iterations)) {
    throw new InvalidInputError("KDF iterations must be an integer");
  }
  if (iterations < MIN_KDF_ITERATIONS) {
    throw new WeakKdfParamsError(`KDF iterations ${iterations} are below the minimum ${MIN_KDF_ITERATIONS}`);
  }
  if (iterations > MAX_KDF_ITERATIONS) {
    throw new InvalidInputError(`KDF iterations ${iterations} are above the maximum ${MAX_KDF_ITERATIONS}`);
  }
  if (typeof salt !== "string") throw new InvalidInputError("KDF salt must be a base64url string");
  const saltBytes = fromBase64Url(salt);
  if (saltBytes.length < KDF_SALT_LENGTH) {
    throw new WeakKdfParamsError(
      `KDF salt is ${saltBytes.length} bytes, below the minimum ${KDF_SALT_LENGTH}`,
    );
  }
  if (saltBytes.length > MAX_KDF_SALT_LENGTH) throw new InvalidInputError("KDF salt is too long");
}

/** PBKDF2-SHA256(UTF-8(NFKC(password)), salt, iterations) → 32 bytes. Checks the parameters first. */
export async function deriveWrappingKey(password: string, params: KdfParams): Promise<Uint8Array> {
  assertKdfParams(params);
  if (typeof password !== "string" || password.length === 0) {
    throw new InvalidInputError("The password must be a non-empty string");
  }
  const base = await crypto.subtle.importKey(
    "raw",
    utf8Encode(password.normalize("NFKC")) as BufferSource,
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    {
      name: "PBKDF2",
      hash: "SHA-256",
      salt: fromBase64Url(params.salt) as BufferSource,
      iterations: params.iterations,
    },
    base,
    256,
  );
  return new Uint8Array(bits);
}
