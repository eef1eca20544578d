import { describe, expect, it } from "vitest";
import { coalesced, nodeStreamBody } from "./node-stream-body.js";

async function* from(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

async function all(iterable: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const part of iterable) out.push(part);
  return out;
}

const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * seed + 7) % 256);
const joined = (parts: Uint8Array[]) => Buffer.concat(parts);

describe("coalesced", () => {
  it("gathers small chunks into writes of the target size, in order, the rest last", async () => {
    // Segment bodies and 16-byte tags, as a ciphertext comes.
    const parts = Array.from({ length: 9 }, (_, i) => bytes(i % 2 ? 16 : 100, i + 1));
    const out = await all(coalesced(from(parts), 256));
    expect(out.map((p) => p.length)).toEqual([256, 256, 52]);
    expect(joined(out).equals(joined(parts))).toBe(true);
    // Every write is its own buffer: the socket may still hold an earlier one.
    expect(new Set(out.map((p) => p.buffer)).size).toBe(out.length);
  });

  it("passes large chunks through uncopied when nothing is gathered, and yields nothing for nothing", async () => {
    const big = bytes(1000, 3);
    const out = await all(coalesced(from([big, bytes(10, 5), big]), 256));
    expect(out[0]).toBe(big);
    expect(out.map((p) => p.length)).toEqual([1000, 256, 256, 256, 242]);
    expect(joined(out).equals(joined([big, bytes(10, 5), big]))).toBe(true);
    expect(await all(coalesced(from([]), 256))).toEqual([]);
  });

  it("makes a Node stream body with the bytes and the size tus reads", async () => {
    const parts = [bytes(70_000, 1), bytes(16, 2), bytes(70_000, 3)];
    const body = nodeStreamBody(from(parts), 140_016);
    expect(body.size).toBe(140_016);
    const received = await all(body as unknown as AsyncIterable<Uint8Array>);
    expect(joined(received).equals(joined(parts))).toBe(true);
  });
});
