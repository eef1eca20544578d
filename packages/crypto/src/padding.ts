import { InvalidInputError, TamperedError } from "./errors.js";

/** 1 PiB: keeps every result an exact integer. */
export const MAX_PADME_INPUT = 2 ** 50;

function bitLength(n: number): number {
  return n === 0 ? 0 : n.toString(2).length;
}

/**
 * Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication with PURBs", 2019):
 * rounds `n` up so that only O(log log n) bits of the length remain, at most ~12% overhead.
 * E = ⌊log2 n⌋, S = ⌊log2 E⌋ + 1, the low E − S bits are cleared by rounding up. n ≤ 2 is returned unchanged.
 */
export function padmeLength(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_PADME_INPUT) {
    throw new InvalidInputError("Length must be an integer from 0 to 2^50");
  }
  if (n < 2) return n;
  const e = bitLength(n) - 1;
  const s = bitLength(e);
  const lastBits = e - s;
  // Arithmetic instead of bit masks: lengths can exceed 2^32.
  const unit = 2 ** lastBits;
  return Math.ceil(n / unit) * unit;
}

const MAX_PADDED_DATA = 0xffffffff;

/** `u32be(data.length) ‖ data ‖ zeros`, padded to padmeLength(4 + data.length). Hides small objects' exact sizes. */
export function encodePaddedBlob(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new InvalidInputError("Data must be a Uint8Array");
  if (data.length > MAX_PADDED_DATA) throw new InvalidInputError("Data is too large to pad");
  const out = new Uint8Array(padmeLength(4 + data.length));
  new DataView(out.buffer).setUint32(0, data.length);
  out.set(data, 4);
  return out;
}

/** Reverses encodePaddedBlob; a wrong length prefix, total length or non-zero padding is TAMPERED. */
export function decodePaddedBlob(blob: Uint8Array): Uint8Array {
  if (!(blob instanceof Uint8Array)) throw new InvalidInputError("Blob must be a Uint8Array");
  if (blob.length < 4) throw new TamperedError("Padded blob is shorter than its length prefix");
  const length = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(0);
  if (4 + length > blob.length || padmeLength(4 + length) !== blob.length) {
    throw new TamperedError("Padded blob length does not match its length prefix");
  }
  for (let i = 4 + length; i < blob.length; i++) {
    if (blob[i] !== 0) throw new TamperedError("Padded blob has non-zero padding");
  }
  return blob.slice(4, 4 + length);
}
