import { concatBytes, fromBase64Url, fromHex, toBase64Url } from "../bytes.js";
import { InvalidInputError, TamperedError } from "../errors.js";

export const ED25519_SEED_LENGTH = 32;
export const ED25519_PUBLIC_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;
// PKCS#8 PrivateKeyInfo header for an Ed25519 seed (RFC 8410); Web Crypto imports private keys only in this form.
const PKCS8_ED25519_PREFIX = fromHex("302e020100300506032b657004220420");

function assertLength(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new InvalidInputError(`${what} must be a ${length}-byte Uint8Array`);
  }
}

function importPrivateKey(seed: Uint8Array, extractable: boolean): Promise<CryptoKey> {
  assertLength(seed, ED25519_SEED_LENGTH, "The Ed25519 private key");
  return crypto.subtle.importKey(
    "pkcs8",
    concatBytes(PKCS8_ED25519_PREFIX, seed) as BufferSource,
    { name: "Ed25519" },
    extractable,
    ["sign"],
  );
}

/** The Ed25519 public key (32 bytes) of a 32-byte seed, the form in which Umbra stores signing private keys. */
export async function ed25519PublicKey(seed: Uint8Array): Promise<Uint8Array> {
  const jwk = await crypto.subtle.exportKey("jwk", await importPrivateKey(seed, true));
  if (typeof jwk.x !== "string") throw new InvalidInputError("Ed25519 key export lacks the public key");
  return fromBase64Url(jwk.x);
}

/** Ed25519 (RFC 8032, deterministic) signature of `message`. */
export async function ed25519Sign(seed: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const key = await importPrivateKey(seed, false);
  return new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key, message as BufferSource));
}

/** True only for a valid signature of `message` by `publicKey`; a malformed signature is simply invalid. */
export async function ed25519Verify(
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
): Promise<boolean> {
  assertLength(publicKey, ED25519_PUBLIC_KEY_LENGTH, "The Ed25519 public key");
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_LENGTH) return false;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey("raw", publicKey as BufferSource, { name: "Ed25519" }, false, [
      "verify",
    ]);
  } catch (error) {
    throw new InvalidInputError("The Ed25519 public key is not valid", { cause: error });
  }
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature as BufferSource, message as BufferSource);
}

/** Signs and returns the signature as unpadded base64url (the form stored in JSON records). */
export async function signToBase64Url(seed: Uint8Array, message: Uint8Array): Promise<string> {
  return toBase64Url(await ed25519Sign(seed, message));
}

/** Verifies a base64url signature; a missing, malformed or wrong signature → TamperedError(`what` …). */
export async function assertSignature(
  publicKey: Uint8Array,
  signature: unknown,
  message: Uint8Array,
  what: string,
): Promise<void> {
  if (typeof signature !== "string" || signature.length === 0)
    throw new TamperedError(`${what} is not signed`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(signature);
  } catch (error) {
    throw new TamperedError(`${what} has a malformed signature`, { cause: error });
  }
  if (!(await ed25519Verify(publicKey, bytes, message))) {
    throw new TamperedError(`${what} has an invalid signature`);
  }
}
