// Argon2id (RFC 9106, version 0x13) from libsodium's crypto_pwhash, compiled to WebAssembly by libsodium's author
// (libsodium-wrappers-sumo). The library (~0.5 MB with its WebAssembly) is imported only when an Argon2id password
// is actually derived, so pages and commands that never meet one do not load it.
import { InvalidInputError } from "./errors.js";

type Sodium = typeof import("libsodium-wrappers-sumo")["default"];

/** libsodium's crypto_pwhash: one lane (p = 1) and a 16-byte salt, fixed by its API. */
export const ARGON2ID_SALT_LENGTH = 16;
export const ARGON2ID_OUTPUT_LENGTH = 32;

let loading: Promise<Sodium> | undefined;

/** Imports and initializes libsodium once (its WebAssembly instantiation is the slow part of the first call). */
function sodium(): Promise<Sodium> {
  loading ??= import("libsodium-wrappers-sumo").then(
    async (module) => {
      await module.default.ready;
      return module.default;
    },
    (error: unknown) => {
      loading = undefined; // a failed load (e.g. a network error fetching the chunk) may be retried
      throw new InvalidInputError("Could not load the Argon2id implementation (libsodium)", { cause: error });
    },
  );
  return loading;
}

/**
 * Argon2id(password, salt, m = memoryKiB, t = iterations, p = 1) → 32 bytes; no secret, no associated data.
 * Callers check the parameters first (bounds live with the format that stores them). Blocks its thread for the
 * whole derivation (~0.2 s at m = 64 MiB, t = 3): crypto_pwhash is synchronous.
 */
export async function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  memoryKiB: number,
  iterations: number,
): Promise<Uint8Array> {
  if (salt.length !== ARGON2ID_SALT_LENGTH) throw new InvalidInputError("Argon2id takes a 16-byte salt");
  const lib = await sodium();
  try {
    return lib.crypto_pwhash(
      ARGON2ID_OUTPUT_LENGTH,
      password,
      salt,
      iterations,
      memoryKiB * 1024,
      lib.crypto_pwhash_ALG_ARGON2ID13,
    );
  } catch (error) {
    // libsodium throws a plain Error ("invalid usage") when it cannot allocate the memory or rejects a parameter.
    throw new InvalidInputError("Argon2id could not run with these parameters", { cause: error });
  }
}
