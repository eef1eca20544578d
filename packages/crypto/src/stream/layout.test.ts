import { describe, expect, it } from "vitest";
import { InvalidInputError, TamperedError, TruncatedError } from "../errors.js";
import { MIN_SEGMENT_SIZE, STREAM_HEADER_LENGTH } from "./header.js";
import {
  ciphertextLength,
  plaintextLengthFromCiphertextLength,
  segmentCount,
  segmentRangeForBytes,
} from "./layout.js";

const S = MIN_SEGMENT_SIZE;
const H = STREAM_HEADER_LENGTH;

describe("stream layout", () => {
  it("counts segments and ciphertext bytes", () => {
    expect(H).toBe(47);
    expect([0, 1, S, S + 1, 3 * S].map((n) => segmentCount(n, S))).toEqual([1, 1, 1, 2, 3]);
    expect(ciphertextLength(0, S)).toBe(H + 16);
    expect(ciphertextLength(S, S)).toBe(H + S + 16);
    expect(ciphertextLength(S + 1, S)).toBe(H + S + 1 + 32);
  });

  it("inverts ciphertextLength and rejects impossible sizes", () => {
    for (const n of [0, 1, S - 1, S, S + 1, 5 * S, 5 * S + 3]) {
      expect(plaintextLengthFromCiphertextLength(ciphertextLength(n, S), S)).toBe(n);
    }
    expect(() => plaintextLengthFromCiphertextLength(H + 15, S)).toThrow(TruncatedError);
    // A trailing empty segment after a full one is never written.
    expect(() => plaintextLengthFromCiphertextLength(H + S + 16 + 16, S)).toThrow(TamperedError);
    expect(() => plaintextLengthFromCiphertextLength(H + S + 16 + 5, S)).toThrow(TamperedError);
  });

  it("maps a range inside one segment", () => {
    expect(segmentRangeForBytes(10, 20, S)).toEqual({
      firstSegment: 0,
      lastSegment: 0,
      ciphertextStart: H,
      ciphertextEnd: H + S + 16 - 1,
      skipBytes: 10,
      byteLength: 11,
      endInclusive: 20,
      includesFinalSegment: false,
    });
  });

  it("maps a range across segments and clamps to a known length", () => {
    const total = 3 * S + 5;
    const range = segmentRangeForBytes(S - 1, 10 * S, S, total);
    expect(range.firstSegment).toBe(0);
    expect(range.lastSegment).toBe(3);
    expect(range.ciphertextStart).toBe(H);
    expect(range.ciphertextEnd).toBe(ciphertextLength(total, S) - 1);
    expect(range.skipBytes).toBe(S - 1);
    expect(range.byteLength).toBe(total - (S - 1));
    expect(range.includesFinalSegment).toBe(true);
    const middle = segmentRangeForBytes(S + 3, 2 * S, S, total);
    expect([middle.firstSegment, middle.lastSegment, middle.includesFinalSegment]).toEqual([1, 2, false]);
    expect(middle.ciphertextStart).toBe(H + (S + 16));
    expect(middle.ciphertextEnd).toBe(H + 3 * (S + 16) - 1);
  });

  it("rejects bad ranges", () => {
    expect(() => segmentRangeForBytes(5, 4, S)).toThrow(InvalidInputError);
    expect(() => segmentRangeForBytes(-1, 4, S)).toThrow(InvalidInputError);
    expect(() => segmentRangeForBytes(0, 4, 1000)).toThrow(InvalidInputError);
    expect(() => segmentRangeForBytes(10, 20, S, 10)).toThrow(InvalidInputError);
    expect(() => segmentRangeForBytes(0, 0, S, 0)).toThrow(InvalidInputError);
  });
});
