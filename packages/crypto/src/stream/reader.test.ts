import { describe, expect, it } from "vitest";
import { utf8Encode } from "../bytes.js";
import { InvalidInputError, TamperedError, TruncatedError, UnsupportedVersionError } from "../errors.js";
import { systemRandom } from "../random.js";
import { createEncryptStream } from "./encrypt.js";
import { MIN_SEGMENT_SIZE, parseStreamHeader, STREAM_HEADER_LENGTH } from "./header.js";
import { SegmentReader } from "./reader.js";
import { decryptSegment } from "./segment.js";
import { patternBytes, transformAll } from "./test-support.js";

const S = MIN_SEGMENT_SIZE;
const key = systemRandom(32);
const ad = utf8Encode("f_readerreaderreaderrea");

async function makeStream(length: number, padToLength?: number) {
  const plaintext = patternBytes(length, 11);
  const ciphertext = await transformAll(
    createEncryptStream(key, { associatedData: ad, segmentSize: S, ...(padToLength ? { padToLength } : {}) }),
    [plaintext],
  );
  const fetches: [number, number][] = [];
  const fetchCiphertextRange = async (start: number, end: number) => {
    fetches.push([start, end]);
    return ciphertext.slice(start, end + 1);
  };
  return { plaintext, ciphertext, fetches, fetchCiphertextRange };
}

describe("SegmentReader", () => {
  it("reads arbitrary ranges, fetching only the covering segments", async () => {
    const { plaintext, ciphertext, fetches, fetchCiphertextRange } = await makeStream(4 * S + 123);
    const reader = await SegmentReader.open(key, {
      associatedData: ad,
      ciphertextLength: ciphertext.length,
      fetchCiphertextRange,
    });
    expect(reader.plaintextLength).toBe(plaintext.length);
    for (const [a, b] of [
      [0, 0],
      [5, S + 5],
      [2 * S, 2 * S],
      [S - 1, 3 * S],
      [4 * S, 4 * S + 122],
      [4 * S + 100, 10 * S],
    ] as const) {
      fetches.length = 0;
      expect(await reader.read(a, b)).toEqual(plaintext.subarray(a, Math.min(b, plaintext.length - 1) + 1));
      const fetched = fetches.reduce((n, [s, e]) => n + e - s + 1, 0);
      expect(fetched).toBeLessThanOrEqual((Math.floor(b / S) - Math.floor(a / S) + 1) * (S + 16));
    }
    await expect(reader.read(plaintext.length, plaintext.length)).rejects.toThrow(InvalidInputError);
  });

  it("hides padding when given the true length", async () => {
    const { plaintext, ciphertext, fetchCiphertextRange } = await makeStream(S + 7, 3 * S);
    const reader = await SegmentReader.open(key, {
      associatedData: ad,
      ciphertextLength: ciphertext.length,
      fetchCiphertextRange,
      plaintextLength: plaintext.length,
    });
    expect(await reader.read(0, 10 * S)).toEqual(plaintext);
    await expect(
      SegmentReader.open(key, {
        associatedData: ad,
        ciphertextLength: ciphertext.length,
        fetchCiphertextRange,
        plaintextLength: 3 * S + 1,
      }),
    ).rejects.toThrow(TruncatedError);
  });

  it("fails loudly on tampered segments, a lying size, short fetches and foreign data", async () => {
    const { ciphertext, fetchCiphertextRange } = await makeStream(3 * S);
    const flipped = ciphertext.slice();
    flipped[STREAM_HEADER_LENGTH + S + 16 + 3]! ^= 1;
    const tamperedReader = await SegmentReader.open(key, {
      associatedData: ad,
      ciphertextLength: flipped.length,
      fetchCiphertextRange: async (s, e) => flipped.slice(s, e + 1),
    });
    expect((await tamperedReader.read(0, 10)).length).toBe(11);
    await expect(tamperedReader.read(S, S + 1)).rejects.toThrow(TamperedError);
    // Claiming the stream is one segment shorter makes segment 1 the "final" one: it fails as last.
    const lying = await SegmentReader.open(key, {
      associatedData: ad,
      ciphertextLength: ciphertext.length - (S + 16),
      fetchCiphertextRange,
    });
    await expect(lying.read(S, S)).rejects.toThrow(TamperedError);
    await expect(
      SegmentReader.open(key, {
        associatedData: ad,
        ciphertextLength: ciphertext.length,
        fetchCiphertextRange: async (s, e) => ciphertext.slice(s, e),
      }),
    ).rejects.toThrow(TruncatedError);
    await expect(
      SegmentReader.open(key, {
        associatedData: utf8Encode("f_other"),
        ciphertextLength: ciphertext.length,
        fetchCiphertextRange,
      }).then((r) => r.read(0, 0)),
    ).rejects.toThrow(TamperedError);
    await expect(
      SegmentReader.open(key, {
        associatedData: ad,
        ciphertextLength: 100,
        fetchCiphertextRange: async (_s, e) => new Uint8Array(e + 1).fill(0x50),
      }),
    ).rejects.toThrow(UnsupportedVersionError);
  });
});

describe("decryptSegment", () => {
  it("decrypts one segment by index and rejects the wrong index or flag", async () => {
    const { plaintext, ciphertext } = await makeStream(2 * S + 3);
    const header = parseStreamHeader(ciphertext);
    const seg = (i: number) =>
      ciphertext.subarray(STREAM_HEADER_LENGTH + i * (S + 16), STREAM_HEADER_LENGTH + (i + 1) * (S + 16));
    const options = { associatedData: ad, header };
    expect(
      await decryptSegment(key, { ...options, index: 1, segmentCiphertext: seg(1), isLast: false }),
    ).toEqual(plaintext.subarray(S, 2 * S));
    expect(
      await decryptSegment(key, { ...options, index: 2, segmentCiphertext: seg(2), isLast: true }),
    ).toEqual(plaintext.subarray(2 * S));
    await expect(
      decryptSegment(key, { ...options, index: 0, segmentCiphertext: seg(1), isLast: false }),
    ).rejects.toThrow(TamperedError);
    await expect(
      decryptSegment(key, { ...options, index: 1, segmentCiphertext: seg(1), isLast: true }),
    ).rejects.toThrow(TamperedError);
  });
});
