import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "./bytes.js";
import { InvalidInputError } from "./errors.js";
import { fingerprint } from "./fingerprint.js";

// Independent reference: the hash as one big integer, then five 20-bit slices from the top.
function shortReference(publicKey: Uint8Array): string {
  const h = BigInt(`0x${toHex(sha256(publicKey))}`);
  const groups: string[] = [];
  for (let i = 0; i < 5; i++) {
    const chunk = (h >> BigInt(256 - 20 * (i + 1))) & 0xfffffn;
    groups.push(String(chunk % 100000n).padStart(5, "0"));
  }
  return groups.join(" ");
}

describe("fingerprint", () => {
  it("is the SHA-256 hex plus five 5-digit groups from its first 100 bits", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (key) => {
        const fp = fingerprint(key);
        expect(fp.hex).toBe(toHex(sha256(key)));
        expect(fp.short).toMatch(/^\d{5} \d{5} \d{5} \d{5} \d{5}$/);
        expect(fp.short).toBe(shortReference(key));
      }),
    );
  });
  it("rejects an empty key", () => {
    expect(() => fingerprint(new Uint8Array(0))).toThrow(InvalidInputError);
  });
});
