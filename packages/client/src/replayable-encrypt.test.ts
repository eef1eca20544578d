import { createDecryptStream, generateFileKey } from "@umbra/crypto";
import { describe, expect, it } from "vitest";
import { createReplayableEncryptStream, STREAM_RANDOM_LENGTH } from "./replayable-encrypt.js";

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream as unknown as AsyncIterable<Uint8Array>) parts.push(part);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const plaintext = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 251);
const source = () => new Blob([plaintext]).stream();
const ad = new TextEncoder().encode("f_test");

describe("createReplayableEncryptStream", () => {
  it("gives identical ciphertext for the same randomness and different for other randomness", async () => {
    const key = generateFileKey();
    const random = crypto.getRandomValues(new Uint8Array(STREAM_RANDOM_LENGTH));
    const options = { associatedData: ad, segmentSize: 16 * 1024, padToLength: 110_000 };
    const a = await collect(source().pipeThrough(createReplayableEncryptStream(key, options, random)));
    const b = await collect(source().pipeThrough(createReplayableEncryptStream(key, options, random)));
    const other = crypto.getRandomValues(new Uint8Array(STREAM_RANDOM_LENGTH));
    const c = await collect(source().pipeThrough(createReplayableEncryptStream(key, options, other)));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    const back = await collect(
      new Blob([a as Uint8Array<ArrayBuffer>])
        .stream()
        .pipeThrough(createDecryptStream(key, { associatedData: ad, plaintextLength: plaintext.length })),
    );
    expect(Buffer.from(back).equals(Buffer.from(plaintext))).toBe(true);
  });

  it("leaves crypto.getRandomValues working and random afterwards", () => {
    createReplayableEncryptStream(
      generateFileKey(),
      { associatedData: ad },
      new Uint8Array(STREAM_RANDOM_LENGTH),
    );
    const x = crypto.getRandomValues(new Uint8Array(32));
    const y = crypto.getRandomValues(new Uint8Array(32));
    expect(Buffer.from(x).equals(Buffer.from(y))).toBe(false);
    expect(Object.hasOwn(globalThis.crypto, "getRandomValues")).toBe(false);
  });

  it("rejects randomness of the wrong length", () => {
    expect(() =>
      createReplayableEncryptStream(generateFileKey(), { associatedData: ad }, new Uint8Array(5)),
    ).toThrow(/39 bytes/);
  });
});
