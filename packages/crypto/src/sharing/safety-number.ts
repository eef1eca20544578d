import { sha512 } from "@noble/hashes/sha2.js";
import { assertIdField, encodeAssociatedData } from "../associated-data.js";
import { concatBytes, toBase64Url } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import type { PublicKeys } from "./public-key-bundle.js";

export const SAFETY_NUMBER_LABEL = "umbra/v1/safety-number";
/** As Signal: iterating makes finding a second key with the same 30 digits about 2^12 times dearer. */
export const SAFETY_NUMBER_ITERATIONS = 5200;
export const SAFETY_NUMBER_QR_VERSION = 0x01;

export interface SafetyNumber {
  /** 60 decimal digits in 12 groups of 5, separated by single spaces; the same on both users' screens. */
  digits: string;
  /** Unpadded base64url of `0x01 ‖ h_first[0..32] ‖ h_second[0..32]`, for a QR code. */
  qrPayload: string;
}

function assertPublicKeys(keys: PublicKeys, what: string): void {
  if (typeof keys !== "object" || keys === null) throw new InvalidInputError(`Missing ${what}`);
  assertIdField(keys.userId, `${what}.userId`);
  if (!(keys.signingPublicKey instanceof Uint8Array) || !(keys.hpkePublicKey instanceof Uint8Array)) {
    throw new InvalidInputError(`${what} must hold Uint8Array public keys`);
  }
}

/**
 * d = SHA-512(enc(label, userId, signingPublicKey, hpkePublicKey)) (base64url keys); h0 = d, h(i+1) = SHA-512(h(i) ‖ d).
 * Iterating over the 64-byte digest rather than the 1.2 KB X-Wing key keeps this fast on phones.
 */
function userHash(keys: PublicKeys): Uint8Array {
  const material = sha512(
    encodeAssociatedData([
      SAFETY_NUMBER_LABEL,
      keys.userId,
      toBase64Url(keys.signingPublicKey),
      toBase64Url(keys.hpkePublicKey),
    ]),
  );
  let hash = material;
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = sha512(concatBytes(hash, material));
  return hash;
}

/** 30 digits: six 40-bit big-endian chunks of the first 30 bytes, each mod 100000 as 5 digits. */
function userDigits(hash: Uint8Array): string[] {
  const groups: string[] = [];
  for (let i = 0; i < 6; i++) {
    let chunk = 0;
    for (let j = 0; j < 5; j++) chunk = chunk * 256 + hash[i * 5 + j]!;
    groups.push(String(chunk % 100000).padStart(5, "0"));
  }
  return groups;
}

/**
 * The safety number of two users, order-independent: the user whose id sorts first (UTF-16 code-unit order)
 * contributes the first 30 digits. Changes whenever either user's signing or HPKE key changes.
 */
export function safetyNumber(a: PublicKeys, b: PublicKeys): SafetyNumber {
  assertPublicKeys(a, "a");
  assertPublicKeys(b, "b");
  if (a.userId === b.userId) throw new InvalidInputError("A safety number needs two different users");
  const [first, second] = a.userId < b.userId ? [a, b] : [b, a];
  const firstHash = userHash(first);
  const secondHash = userHash(second);
  return {
    digits: [...userDigits(firstHash), ...userDigits(secondHash)].join(" "),
    qrPayload: toBase64Url(
      concatBytes(
        Uint8Array.of(SAFETY_NUMBER_QR_VERSION),
        firstHash.subarray(0, 32),
        secondHash.subarray(0, 32),
      ),
    ),
  };
}
