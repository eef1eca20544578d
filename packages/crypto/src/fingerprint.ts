import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "./bytes.js";
import { InvalidInputError } from "./errors.js";

export interface Fingerprint {
  /** Lower-case hex of SHA-256(publicKey), 64 characters. */
  hex: string;
  /** Five groups of five decimal digits separated by single spaces, for reading aloud or comparing by eye. */
  short: string;
}

/**
 * h = SHA-256(publicKey). The first 100 bits of h are cut into five 20-bit big-endian integers c0..c4;
 * group i is (ci mod 100000) written with 5 digits, zero-padded. About 83 bits survive the reduction.
 */
export function fingerprint(publicKey: Uint8Array): Fingerprint {
  if (!(publicKey instanceof Uint8Array) || publicKey.length === 0) {
    throw new InvalidInputError("The public key must be a non-empty Uint8Array");
  }
  const hash = sha256(publicKey);
  const groups: string[] = [];
  for (let i = 0; i < 5; i++) {
    let chunk = 0;
    for (let bit = i * 20; bit < i * 20 + 20; bit++) {
      chunk = chunk * 2 + ((hash[bit >> 3]! >> (7 - (bit & 7))) & 1);
    }
    groups.push(String(chunk % 100000).padStart(5, "0"));
  }
  return { hex: toHex(hash), short: groups.join(" ") };
}
