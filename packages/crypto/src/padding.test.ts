import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError, TamperedError } from "./errors.js";
import { decodePaddedBlob, encodePaddedBlob, padmeLength } from "./padding.js";

// The PURBs paper's definition, computed with BigInt as an independent reference.
function padmeReference(n: number): number {
  if (n < 2) return n;
  const big = BigInt(n);
  const e = big.toString(2).length - 1;
  const s = Math.floor(Math.log2(e)) + 1;
  const mask = (1n << BigInt(e - s)) - 1n;
  return Number((big + mask) & ~mask);
}

describe("padmeLength", () => {
  it("matches known values", () => {
    expect([0, 1, 2, 7, 8, 9, 100, 1000, 1024, 1025].map(padmeLength)).toEqual([
      0, 1, 2, 7, 8, 10, 104, 1024, 1024, 1088,
    ]);
  });
  it("matches the reference, never shrinks, is idempotent and costs at most 12%", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 50 })), (n) => {
        const p = padmeLength(n);
        expect(p).toBe(padmeReference(n));
        expect(p).toBeGreaterThanOrEqual(n);
        expect(padmeLength(p)).toBe(p);
        expect(p - n).toBeLessThanOrEqual(Math.ceil(n * 0.12));
      }),
    );
  });
  it("rejects non-integers", () => {
    expect(() => padmeLength(-1)).toThrow(InvalidInputError);
    expect(() => padmeLength(1.5)).toThrow(InvalidInputError);
    expect(() => padmeLength(2 ** 50 + 1)).toThrow(InvalidInputError);
  });
});

describe("padded blob", () => {
  it("round-trips and pads to padmeLength(4 + n)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (data) => {
        const blob = encodePaddedBlob(data);
        expect(blob).toHaveLength(padmeLength(4 + data.length));
        expect(decodePaddedBlob(blob)).toEqual(data);
      }),
    );
  });
  it("rejects non-zero padding, a wrong length prefix or a wrong total length", () => {
    const blob = encodePaddedBlob(new Uint8Array(101).fill(1));
    expect(blob.length).toBeGreaterThan(105);
    const dirty = blob.slice();
    dirty[dirty.length - 1] = 1;
    expect(() => decodePaddedBlob(dirty)).toThrow(TamperedError);
    const longer = blob.slice();
    longer[3] = 200;
    expect(() => decodePaddedBlob(longer)).toThrow(TamperedError);
    const shorter = blob.slice();
    shorter[3] = 50;
    expect(() => decodePaddedBlob(shorter)).toThrow(TamperedError);
    expect(() => decodePaddedBlob(blob.subarray(0, blob.length - 1))).toThrow(TamperedError);
    expect(() => decodePaddedBlob(new Uint8Array(3))).toThrow(TamperedError);
  });
});
