// The KDF a link password goes through before it is mixed into the link key (SPEC §18). Two versions of the link
// password format: v1 = PBKDF2-SHA256 (SPEC §3's KdfParams, no `v` field: what links made before v2 store, still
// opened), v2 = Argon2id (memory-hard, written for every new password link). The server stores the parameters
// unread and hands them to visitors, so both forms are bounds-checked before any derivation.
import { ARGON2ID_SALT_LENGTH, argon2id } from "../argon2id.js";
import { fromBase64Url, toBase64Url, utf8Encode } from "../bytes.js";
import { InvalidInputError, UnsupportedVersionError, WeakKdfParamsError } from "../errors.js";
import { assertKdfParams, deriveWrappingKey, KDF_ALGORITHM, type KdfParams } from "../kdf.js";
import { type RandomSource, systemRandom } from "../random.js";

export const LINK_ARGON2ID_ALGORITHM = "argon2id";
/** The link password format version written by newLinkKdfParams (v1 = PBKDF2 objects, which carry no `v`). */
export const LINK_PASSWORD_VERSION = 2;
/** RFC 9106 §4's second recommended option with p = 1: 64 MiB, 3 passes. Also the minimum a visitor accepts. */
export const MIN_LINK_ARGON2ID_MEMORY_KIB = 64 * 1024;
export const MIN_LINK_ARGON2ID_ITERATIONS = 3;
/** Caps against a server that makes a visitor's tab allocate gigabytes or spin for minutes. */
export const MAX_LINK_ARGON2ID_MEMORY_KIB = 1024 * 1024;
export const MAX_LINK_ARGON2ID_ITERATIONS = 10;

/** Link password format v2: Argon2id parameters (salt: 16 bytes, unpadded base64url). */
export interface Argon2idLinkKdfParams {
  v: 2;
  algorithm: "argon2id";
  memoryKiB: number;
  iterations: number;
  parallelism: 1;
  salt: string;
}

/** What a password link stores: v2 Argon2id for new links, v1 PBKDF2 (SPEC §3) for links made before. */
export type LinkKdfParams = KdfParams | Argon2idLinkKdfParams;

/** Internal: newLinkKdfParams with an injected random source (draws: one 16-byte salt). */
export function newLinkKdfParamsWith(random: RandomSource): Argon2idLinkKdfParams {
  const salt = random(ARGON2ID_SALT_LENGTH);
  if (salt.length !== ARGON2ID_SALT_LENGTH)
    throw new InvalidInputError("The random source returned a wrong-sized salt");
  return {
    v: LINK_PASSWORD_VERSION,
    algorithm: LINK_ARGON2ID_ALGORITHM,
    memoryKiB: MIN_LINK_ARGON2ID_MEMORY_KIB,
    iterations: MIN_LINK_ARGON2ID_ITERATIONS,
    parallelism: 1,
    salt: toBase64Url(salt),
  };
}

/** Fresh parameters for a new or changed link password: Argon2id, m = 64 MiB, t = 3, p = 1, 16-byte random salt. */
export function newLinkKdfParams(): Argon2idLinkKdfParams {
  return newLinkKdfParamsWith(systemRandom);
}

function boundedInteger(value: unknown, name: string, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw new InvalidInputError(`Argon2id ${name} must be an integer`);
  if (value < min) throw new WeakKdfParamsError(`Argon2id ${name} ${value} is below the minimum ${min}`);
  if (value > max) throw new InvalidInputError(`Argon2id ${name} ${value} is above the maximum ${max}`);
}

/**
 * The downgrade rule for link passwords: PBKDF2 parameters as SPEC §3 (assertKdfParams); Argon2id below
 * m = 64 MiB, t = 3 or with a salt under 16 bytes → WEAK_KDF_PARAMS; above 1 GiB or 10 passes, other than one lane,
 * a longer salt or malformed → INVALID_INPUT; an Argon2id record of another format version → UNSUPPORTED_VERSION;
 * any other algorithm → WEAK_KDF_PARAMS.
 */
export function assertLinkKdfParams(params: unknown): asserts params is LinkKdfParams {
  if (typeof params !== "object" || params === null) throw new InvalidInputError("Missing KDF parameters");
  const { v, algorithm, memoryKiB, iterations, parallelism, salt } = params as Record<string, unknown>;
  if (algorithm === KDF_ALGORITHM) return assertKdfParams(params);
  if (algorithm !== LINK_ARGON2ID_ALGORITHM) {
    throw new WeakKdfParamsError(
      `Unsupported link password KDF ${JSON.stringify(algorithm)} (expected ${LINK_ARGON2ID_ALGORITHM} or ${KDF_ALGORITHM})`,
    );
  }
  if (v !== LINK_PASSWORD_VERSION)
    throw new UnsupportedVersionError(`Unsupported link password format version ${JSON.stringify(v)}`);
  boundedInteger(memoryKiB, "memory (KiB)", MIN_LINK_ARGON2ID_MEMORY_KIB, MAX_LINK_ARGON2ID_MEMORY_KIB);
  boundedInteger(iterations, "iterations", MIN_LINK_ARGON2ID_ITERATIONS, MAX_LINK_ARGON2ID_ITERATIONS);
  if (parallelism !== 1) throw new InvalidInputError("Argon2id parallelism must be 1");
  if (typeof salt !== "string") throw new InvalidInputError("Argon2id salt must be a base64url string");
  const saltBytes = fromBase64Url(salt);
  if (saltBytes.length < ARGON2ID_SALT_LENGTH) {
    throw new WeakKdfParamsError(
      `Argon2id salt is ${saltBytes.length} bytes, below the minimum ${ARGON2ID_SALT_LENGTH}`,
    );
  }
  if (saltBytes.length > ARGON2ID_SALT_LENGTH) throw new InvalidInputError("Argon2id salt must be 16 bytes");
}

/**
 * The password-derived 32 bytes of a password link: PBKDF2-SHA256 (v1) or Argon2id (v2) of UTF-8(NFKC(password)).
 * Checks the parameters first, so weak or absurd ones never cost a derivation (nor load libsodium).
 */
export async function deriveLinkPasswordKey(password: string, params: LinkKdfParams): Promise<Uint8Array> {
  assertLinkKdfParams(params);
  if (params.algorithm === KDF_ALGORITHM) return deriveWrappingKey(password, params);
  if (typeof password !== "string" || password.length === 0) {
    throw new InvalidInputError("The password must be a non-empty string");
  }
  return argon2id(
    utf8Encode(password.normalize("NFKC")),
    fromBase64Url(params.salt),
    params.memoryKiB,
    params.iterations,
  );
}
