import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8Encode } from "../bytes.js";
import { systemRandom } from "../random.js";
import { createDecryptStream } from "./decrypt.js";
import { createEncryptStream } from "./encrypt.js";
import { MIN_SEGMENT_SIZE, parseStreamHeader, TAG_LENGTH } from "./header.js";
import { ciphertextLength, segmentRangeForBytes } from "./layout.js";
import { decryptSegmentWithKey, deriveStreamKey } from "./segment.js";
import { chunksOf, patternBytes, transformAll } from "./test-support.js";

const S = MIN_SEGMENT_SIZE;
const key = systemRandom(32);
const ad = utf8Encode("f_propertypropertyprop");

const interestingLength = fc.oneof(
  fc.constantFrom(0, 1, S - 1, S, S + 1, 2 * S, 4 * S + 3),
  fc.integer({ min: 0, max: 6 * S }),
);
const chunkSizes = fc.array(fc.integer({ min: 1, max: 3 * S }), { minLength: 1, maxLength: 8 });

describe("streaming AEAD properties", () => {
  it("round-trips any length under any chunking of both streams", async () => {
    await fc.assert(
      fc.asyncProperty(
        interestingLength,
        chunkSizes,
        chunkSizes,
        fc.integer(),
        async (n, inChunks, ctChunks, seed) => {
          const plaintext = patternBytes(n, seed);
          const ciphertext = await transformAll(
            createEncryptStream(key, { associatedData: ad, segmentSize: S }),
            chunksOf(plaintext, inChunks),
          );
          expect(ciphertext.length).toBe(ciphertextLength(n, S));
          const out = await transformAll(
            createDecryptStream(key, { associatedData: ad }),
            chunksOf(ciphertext, ctChunks),
          );
          expect(out).toEqual(plaintext);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("round-trips padded streams back to the true length", async () => {
    await fc.assert(
      fc.asyncProperty(interestingLength, fc.integer({ min: 0, max: 2 * S }), async (n, extra) => {
        const plaintext = patternBytes(n, n);
        const ciphertext = await transformAll(
          createEncryptStream(key, { associatedData: ad, segmentSize: S, padToLength: n + extra }),
          [plaintext],
        );
        expect(ciphertext.length).toBe(ciphertextLength(n + extra, S));
        const out = await transformAll(createDecryptStream(key, { associatedData: ad, plaintextLength: n }), [
          ciphertext,
        ]);
        expect(out).toEqual(plaintext);
      }),
      { numRuns: 12 },
    );
  });

  it("decrypts random ranges through segmentRangeForBytes and single segments", async () => {
    const plaintext = patternBytes(5 * S + 77, 5);
    const ciphertext = await transformAll(createEncryptStream(key, { associatedData: ad, segmentSize: S }), [
      plaintext,
    ]);
    const header = parseStreamHeader(ciphertext);
    const streamKey = await deriveStreamKey(key, header, ad);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: plaintext.length - 1 }),
        fc.integer({ min: 0, max: 3 * S }),
        async (start, span) => {
          const range = segmentRangeForBytes(start, start + span, S, plaintext.length);
          const fetched = ciphertext.subarray(range.ciphertextStart, range.ciphertextEnd + 1);
          expect(fetched.length).toBe(range.ciphertextEnd - range.ciphertextStart + 1);
          const parts: Uint8Array[] = [];
          for (let i = range.firstSegment; i <= range.lastSegment; i++) {
            const offset = (i - range.firstSegment) * (S + TAG_LENGTH);
            const isLast = range.includesFinalSegment && i === range.lastSegment;
            const segment = fetched.subarray(offset, offset + S + TAG_LENGTH);
            parts.push(await decryptSegmentWithKey(streamKey, header.noncePrefix, i, isLast, segment));
          }
          const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let o = 0;
          for (const p of parts) {
            joined.set(p, o);
            o += p.length;
          }
          const got = joined.subarray(range.skipBytes, range.skipBytes + range.byteLength);
          expect(got).toEqual(plaintext.subarray(start, Math.min(start + span, plaintext.length - 1) + 1));
        },
      ),
      { numRuns: 40 },
    );
  });
});
