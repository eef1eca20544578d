import { describe, expect, it } from "vitest";
import { utf8Encode } from "../bytes.js";
import { InvalidInputError, TamperedError, TruncatedError, UnsupportedVersionError } from "../errors.js";
import { systemRandom } from "../random.js";
import { createDecryptStream } from "./decrypt.js";
import { createEncryptStream, createEncryptStreamInternal, DEFAULT_SEGMENT_SIZE } from "./encrypt.js";
import { MIN_SEGMENT_SIZE, parseStreamHeader, STREAM_HEADER_LENGTH } from "./header.js";
import { ciphertextLength } from "./layout.js";
import { chunksOf, patternBytes, runTransform, transformAll } from "./test-support.js";

const S = MIN_SEGMENT_SIZE;
const key = systemRandom(32);
const ad = utf8Encode("f_AAAAAAAAAAAAAAAAAAAAAA");

async function encrypt(plaintext: Uint8Array, options: { segmentSize?: number; padToLength?: number } = {}) {
  return transformAll(createEncryptStream(key, { associatedData: ad, segmentSize: S, ...options }), [
    plaintext,
  ]);
}

describe("createEncryptStream / createDecryptStream", () => {
  it.each([0, 1, S - 1, S, S + 1, 3 * S + 5])(
    "round-trips %i bytes with the documented length",
    async (n) => {
      const plaintext = patternBytes(n, n + 1);
      const ciphertext = await encrypt(plaintext);
      expect(ciphertext.length).toBe(ciphertextLength(n, S));
      expect(parseStreamHeader(ciphertext).segmentSize).toBe(S);
      const decrypted = await transformAll(
        createDecryptStream(key, { associatedData: ad }),
        chunksOf(ciphertext, [777]),
      );
      expect(decrypted).toEqual(plaintext);
    },
  );

  it("uses the default segment size when none is given", async () => {
    const plaintext = systemRandom(2 * DEFAULT_SEGMENT_SIZE + 3);
    const ciphertext = await transformAll(
      createEncryptStream(key, { associatedData: ad }),
      chunksOf(plaintext, [65536]),
    );
    expect(parseStreamHeader(ciphertext).segmentSize).toBe(DEFAULT_SEGMENT_SIZE);
    expect(ciphertext.length).toBe(ciphertextLength(plaintext.length, DEFAULT_SEGMENT_SIZE));
    expect(await transformAll(createDecryptStream(key, { associatedData: ad }), [ciphertext])).toEqual(
      plaintext,
    );
  });

  it("writes one full last segment, not an extra empty one, for a multiple of the segment size", async () => {
    const ciphertext = await encrypt(patternBytes(2 * S, 3));
    expect(ciphertext.length).toBe(STREAM_HEADER_LENGTH + 2 * (S + 16));
  });

  it("uses fresh salt and nonce prefix for every stream", async () => {
    const a = await encrypt(patternBytes(10, 1));
    const b = await encrypt(patternBytes(10, 1));
    expect(a.subarray(8, STREAM_HEADER_LENGTH)).not.toEqual(b.subarray(8, STREAM_HEADER_LENGTH));
    expect(a.subarray(STREAM_HEADER_LENGTH)).not.toEqual(b.subarray(STREAM_HEADER_LENGTH));
  });

  it("pads with zeros to padToLength and strips the padding given plaintextLength", async () => {
    const plaintext = patternBytes(S + 10, 9);
    const padded = await encrypt(plaintext, { padToLength: 3 * S + 7 });
    expect(padded.length).toBe(ciphertextLength(3 * S + 7, S));
    const all = await transformAll(createDecryptStream(key, { associatedData: ad }), [padded]);
    expect(all.subarray(0, plaintext.length)).toEqual(plaintext);
    expect(all.subarray(plaintext.length).every((b) => b === 0)).toBe(true);
    const exact = await transformAll(
      createDecryptStream(key, { associatedData: ad, plaintextLength: plaintext.length }),
      chunksOf(padded, [5000]),
    );
    expect(exact).toEqual(plaintext);
  });

  it("rejects input longer than padToLength", async () => {
    const { error } = await runTransform(
      createEncryptStream(key, { associatedData: ad, segmentSize: S, padToLength: 10 }),
      [patternBytes(11, 1)],
    );
    expect(error).toBeInstanceOf(InvalidInputError);
  });

  it("reports a stream shorter than plaintextLength as TRUNCATED", async () => {
    const ciphertext = await encrypt(patternBytes(100, 1));
    const { output, error } = await runTransform(
      createDecryptStream(key, { associatedData: ad, plaintextLength: 101 }),
      [ciphertext],
    );
    expect(error).toBeInstanceOf(TruncatedError);
    expect(output).toEqual(patternBytes(100, 1));
  });

  it("reports non-zero bytes after plaintextLength as TAMPERED", async () => {
    const ciphertext = await encrypt(patternBytes(100, 1));
    const { error } = await runTransform(
      createDecryptStream(key, { associatedData: ad, plaintextLength: 50 }),
      [ciphertext],
    );
    expect(error).toBeInstanceOf(TamperedError);
  });

  it("fails every segment under a wrong key or wrong associated data, releasing nothing", async () => {
    const ciphertext = await encrypt(patternBytes(2 * S + 1, 2));
    for (const [k, a] of [
      [systemRandom(32), ad],
      [key, utf8Encode("f_BBBBBBBBBBBBBBBBBBBBBB")],
    ] as const) {
      const { output, error } = await runTransform(createDecryptStream(k, { associatedData: a }), [
        ciphertext,
      ]);
      expect(error).toBeInstanceOf(TamperedError);
      expect(output.length).toBe(0);
    }
  });

  it("classifies truncation, extension and foreign headers", async () => {
    const ciphertext = await encrypt(patternBytes(2 * S + 1, 2));
    const decrypt = (bytes: Uint8Array) =>
      runTransform(createDecryptStream(key, { associatedData: ad }), [bytes]);
    const atBoundary = await decrypt(ciphertext.subarray(0, STREAM_HEADER_LENGTH + 2 * (S + 16)));
    expect(atBoundary.error).toBeInstanceOf(TruncatedError);
    expect(atBoundary.output).toEqual(patternBytes(2 * S + 1, 2).subarray(0, S));
    expect((await decrypt(ciphertext.subarray(0, STREAM_HEADER_LENGTH))).error).toBeInstanceOf(
      TruncatedError,
    );
    expect((await decrypt(ciphertext.subarray(0, 20))).error).toBeInstanceOf(TruncatedError);
    expect((await decrypt(new Uint8Array(0))).error).toBeInstanceOf(TruncatedError);
    expect((await decrypt(ciphertext.subarray(0, ciphertext.length - 3))).error).toBeInstanceOf(
      TamperedError,
    );
    const extended = new Uint8Array(ciphertext.length + 1);
    extended.set(ciphertext);
    expect((await decrypt(extended)).error).toBeInstanceOf(TamperedError);
    const otherVersion = ciphertext.slice();
    otherVersion[3] = 2;
    expect((await decrypt(otherVersion)).error).toBeInstanceOf(UnsupportedVersionError);
    expect((await decrypt(utf8Encode("PK\u0003"))).error).toBeInstanceOf(UnsupportedVersionError);
  });

  it("validates options", () => {
    expect(() => createEncryptStream(key, { associatedData: ad, segmentSize: 3 * S })).toThrow(
      InvalidInputError,
    );
    expect(() => createEncryptStream(key, { associatedData: ad, segmentSize: S / 2 })).toThrow(
      InvalidInputError,
    );
    expect(() => createEncryptStream(key.subarray(1), { associatedData: ad })).toThrow(InvalidInputError);
    expect(() => createEncryptStream(key, { associatedData: ad, padToLength: -1 })).toThrow(
      InvalidInputError,
    );
    expect(() => createDecryptStream(key, { associatedData: ad, plaintextLength: 1.5 })).toThrow(
      InvalidInputError,
    );
  });

  it("generates padding only as fast as the reader takes it", async () => {
    const transform = createEncryptStream(key, { associatedData: ad, segmentSize: S, padToLength: 100 * S });
    const writer = transform.writable.getWriter();
    await writer.write(patternBytes(5, 1));
    let closed = false;
    const closing = writer.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Without a reader, flush() must be waiting instead of queueing 100 padding segments.
    expect(closed).toBe(false);
    const reader = transform.readable.getReader();
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }
    await closing;
    expect(received).toBe(ciphertextLength(100 * S, S));
  });

  it("keeps memory bounded: a slow reader holds back the writer", async () => {
    const transform = createEncryptStreamInternal(
      key,
      { associatedData: ad, segmentSize: S },
      { maxInFlight: 2 },
    );
    const writer = transform.writable.getWriter();
    let accepted = 0;
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 64; i++) {
      writes.push(writer.write(new Uint8Array(S)).then(() => void accepted++));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Nothing is read, so only a few segments may be accepted (in flight + held + queued output).
    expect(accepted).toBeLessThan(8);
    const reader = transform.readable.getReader();
    const drained = (async () => {
      let n = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return n;
        n += value.length;
      }
    })();
    await Promise.all(writes);
    await writer.close();
    expect(await drained).toBe(ciphertextLength(64 * S, S));
  });
});
