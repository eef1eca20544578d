import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromBase64Url } from "../bytes.js";
import { UmbraCryptoError } from "../errors.js";
import { createDecryptStream } from "./decrypt.js";
import { createEncryptStream, createEncryptStreamInternal } from "./encrypt.js";
import { STREAM_HEADER_LENGTH } from "./header.js";
import { ciphertextLength } from "./layout.js";
import { chunksOf, runTransform, transformAll } from "./test-support.js";

interface PositiveFile {
  fileKey: string;
  associatedData: string;
  segmentSize: number;
  vectors: {
    name: string;
    plaintextLength: number;
    salt: string;
    noncePrefix: string;
    plaintext: string;
    ciphertext: string;
  }[];
}

interface NegativeFile {
  fileKey: string;
  associatedData: string;
  segmentSize: number;
  plaintext: string;
  ciphertext: string;
  cases: {
    name: string;
    expectedCode: string;
    emittedPlaintextLength: number;
    fileKey?: string;
    associatedData?: string;
    plaintextLength?: number;
    ciphertext?: string;
  }[];
}

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../test-vectors/${name}`, import.meta.url), "utf8")) as T;
const positive = load<PositiveFile>("stream.json");
const negative = load<NegativeFile>("stream-negative.json");
const chunkings = [[1 << 20], [1000], [1, 46, 16400, 7]];

describe("stream.json", () => {
  const fileKey = fromBase64Url(positive.fileKey);
  const associatedData = fromBase64Url(positive.associatedData);

  it("covers the edge lengths", () => {
    const s = positive.segmentSize;
    expect(positive.vectors.map((v) => v.plaintextLength)).toEqual([0, 1, s - 1, s, s + 1, 3 * s + 5]);
  });

  for (const vector of positive.vectors) {
    const plaintext = fromBase64Url(vector.plaintext);
    const ciphertext = fromBase64Url(vector.ciphertext);

    it(`${vector.name}: decrypts under every chunking`, async () => {
      expect(plaintext.length).toBe(vector.plaintextLength);
      expect(ciphertext.length).toBe(ciphertextLength(vector.plaintextLength, positive.segmentSize));
      for (const sizes of chunkings) {
        const out = await transformAll(
          createDecryptStream(fileKey, { associatedData }),
          chunksOf(ciphertext, sizes),
        );
        expect(out).toEqual(plaintext);
      }
    });

    it.each(["node", "webcrypto"] as const)(
      `${vector.name}: re-encrypts with the recorded randomness to identical bytes (%s AES-GCM)`,
      async (sealer) => {
        const recorded = [fromBase64Url(vector.salt), fromBase64Url(vector.noncePrefix)];
        const random = (length: number) => {
          const next = recorded.shift();
          if (next?.length !== length) throw new Error("unexpected random request");
          return next;
        };
        for (const sizes of chunkings) {
          recorded.splice(0, recorded.length, fromBase64Url(vector.salt), fromBase64Url(vector.noncePrefix));
          const transform = createEncryptStreamInternal(
            fileKey,
            { associatedData, segmentSize: positive.segmentSize },
            { random, sealer },
          );
          expect(await transformAll(transform, chunksOf(plaintext, sizes))).toEqual(ciphertext);
        }
      },
    );

    it(`${vector.name}: re-encrypts under its own header (the public header option) to identical bytes`, async () => {
      const header = ciphertext.slice(0, STREAM_HEADER_LENGTH);
      for (const sizes of chunkings) {
        const transform = createEncryptStream(fileKey, { associatedData, header });
        expect(await transformAll(transform, chunksOf(plaintext, sizes))).toEqual(ciphertext);
      }
    });
  }
});

describe("stream-negative.json", () => {
  const plaintext = fromBase64Url(negative.plaintext);

  it("decrypts the unmodified stream", async () => {
    const out = await transformAll(
      createDecryptStream(fromBase64Url(negative.fileKey), {
        associatedData: fromBase64Url(negative.associatedData),
      }),
      [fromBase64Url(negative.ciphertext)],
    );
    expect(out).toEqual(plaintext);
  });

  for (const testCase of negative.cases) {
    it(`${testCase.name}: fails with ${testCase.expectedCode}, releasing no byte of the failing segment`, async () => {
      const ciphertext = fromBase64Url(testCase.ciphertext ?? negative.ciphertext);
      const fileKey = fromBase64Url(testCase.fileKey ?? negative.fileKey);
      const associatedData = fromBase64Url(testCase.associatedData ?? negative.associatedData);
      for (const sizes of chunkings) {
        const transform = createDecryptStream(fileKey, {
          associatedData,
          ...(testCase.plaintextLength === undefined ? {} : { plaintextLength: testCase.plaintextLength }),
        });
        const { output, error } = await runTransform(transform, chunksOf(ciphertext, sizes));
        expect(error).toBeInstanceOf(UmbraCryptoError);
        expect((error as UmbraCryptoError).code).toBe(testCase.expectedCode);
        expect(output).toEqual(plaintext.subarray(0, testCase.emittedPlaintextLength));
      }
    });
  }
});
