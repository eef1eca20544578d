/** A source of random bytes. Production code always uses `systemRandom`; only the test-vector generator injects another. */
export type RandomSource = (length: number) => Uint8Array;

export const systemRandom: RandomSource = (length) => {
  const out = new Uint8Array(length);
  // getRandomValues caps one call at 65,536 bytes.
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
};
