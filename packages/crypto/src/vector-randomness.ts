// Randomness for test vectors only: the generators draw from a seeded source and record the draws; the vector
// tests replay them. Not exported from the package.
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, fromHex, toHex, utf8Encode } from "./bytes.js";
import type { RandomSource } from "./random.js";

/** Deterministic bytes: SHA-256(seed ‖ u64be(counter)) blocks, concatenated. */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  let pool: Uint8Array = new Uint8Array(0);
  return (length) => {
    while (pool.length < length) {
      const block = new Uint8Array(8);
      new DataView(block.buffer).setBigUint64(0, BigInt(counter++));
      pool = concatBytes(pool, sha256(concatBytes(utf8Encode(seed), block)));
    }
    const out = pool.slice(0, length);
    pool = pool.slice(length);
    return out;
  };
}

/** Wraps a random source and remembers what it handed out, for the vectors' `random` field. */
export function recorder(source: RandomSource): { random: RandomSource; take(): string[] } {
  let draws: string[] = [];
  return {
    random: (length) => {
      const bytes = source(length);
      draws.push(toHex(bytes));
      return bytes;
    },
    take() {
      const out = draws;
      draws = [];
      return out;
    },
  };
}

/** Replays recorded random draws in order; re-encryption must ask for exactly these, sized exactly so. */
export function replay(draws: string[]): RandomSource & { rest(): number } {
  let next = 0;
  const source = (length: number) => {
    const draw = draws[next++];
    if (draw === undefined) throw new Error("More randomness requested than recorded");
    const bytes = fromHex(draw);
    if (bytes.length !== length)
      throw new Error(`Recorded draw has ${bytes.length} bytes, ${length} requested`);
    return bytes;
  };
  return Object.assign(source, { rest: () => draws.length - next });
}
