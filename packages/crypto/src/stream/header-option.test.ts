import { describe, expect, it } from "vitest";
import { utf8Encode } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import { systemRandom } from "../random.js";
import { createDecryptStream } from "./decrypt.js";
import { createEncryptStream } from "./encrypt.js";
import { MIN_SEGMENT_SIZE, parseStreamHeader, STREAM_HEADER_LENGTH } from "./header.js";
import { DEFAULT_SEGMENT_SIZE, generateStreamHeader } from "./header-option.js";
import { chunksOf, patternBytes, transformAll } from "./test-support.js";

const S = MIN_SEGMENT_SIZE;
const key = systemRandom(32);
const ad = utf8Encode("f_AAAAAAAAAAAAAAAAAAAAAA");
const plaintext = patternBytes(3 * S + 100, 7);

function encryptWith(header: Uint8Array, input = plaintext, sizes = [4096], padToLength?: number) {
  return transformAll(
    createEncryptStream(key, { associatedData: ad, header, padToLength }),
    chunksOf(input, sizes),
  );
}

describe("createEncryptStream header option", () => {
  it("generateStreamHeader gives a fresh, well-formed header", () => {
    const a = generateStreamHeader(S);
    const b = generateStreamHeader(S);
    expect(a.length).toBe(STREAM_HEADER_LENGTH);
    expect(parseStreamHeader(a).segmentSize).toBe(S);
    expect(parseStreamHeader(generateStreamHeader()).segmentSize).toBe(DEFAULT_SEGMENT_SIZE);
    expect(a).not.toEqual(b);
    expect(() => generateStreamHeader(1000)).toThrow(InvalidInputError);
  });

  it("reproduces identical ciphertext for the same plaintext, whatever the chunking", async () => {
    const header = generateStreamHeader(S);
    const first = await encryptWith(header, plaintext, [4096], 4 * S);
    const again = await encryptWith(header, plaintext, [1, 65536, 333], 4 * S);
    expect(again).toEqual(first);
    expect(first.subarray(0, STREAM_HEADER_LENGTH)).toEqual(header);
    const back = await transformAll(
      createDecryptStream(key, { associatedData: ad, plaintextLength: plaintext.length }),
      [first],
    );
    expect(back).toEqual(plaintext);
  });

  it("differs under another header (the default draws a fresh one)", async () => {
    const a = await encryptWith(generateStreamHeader(S));
    const b = await encryptWith(generateStreamHeader(S));
    const fresh = await transformAll(createEncryptStream(key, { associatedData: ad, segmentSize: S }), [
      plaintext,
    ]);
    expect(b.subarray(STREAM_HEADER_LENGTH)).not.toEqual(a.subarray(STREAM_HEADER_LENGTH));
    expect(fresh.subarray(STREAM_HEADER_LENGTH)).not.toEqual(a.subarray(STREAM_HEADER_LENGTH));
  });

  it("does not keep a reference to the caller's header buffer", async () => {
    const header = generateStreamHeader(S);
    const stream = createEncryptStream(key, { associatedData: ad, header });
    const expected = await encryptWith(header.slice());
    header.fill(1, 8);
    expect(await transformAll(stream, chunksOf(plaintext, [4096]))).toEqual(expected);
  });

  const good = generateStreamHeader(S);
  const bad: [string, Uint8Array][] = [
    ["too short", good.subarray(0, STREAM_HEADER_LENGTH - 1)],
    ["too long", new Uint8Array([...good, 0])],
    ["bad magic", Uint8Array.from(good, (b, i) => (i === 0 ? b ^ 1 : b))],
    ["unknown version", Uint8Array.from(good, (b, i) => (i === 3 ? 2 : b))],
    ["invalid segment size", Uint8Array.from(good, (b, i) => (i === 7 ? 1 : b))],
    ["all-zero salt", Uint8Array.from(good, (b, i) => (i >= 8 && i < 40 ? 0 : b))],
    ["all-zero nonce prefix", Uint8Array.from(good, (b, i) => (i >= 40 ? 0 : b))],
  ];
  it.each(bad)("refuses a header that is %s", (_name, header) => {
    expect(() => createEncryptStream(key, { associatedData: ad, header })).toThrow(InvalidInputError);
  });

  it("refuses a header whose segment size contradicts segmentSize", () => {
    expect(() => createEncryptStream(key, { associatedData: ad, header: good, segmentSize: 2 * S })).toThrow(
      /segmentSize/,
    );
    expect(() =>
      createEncryptStream(key, { associatedData: ad, header: good, segmentSize: S }),
    ).not.toThrow();
  });
});
