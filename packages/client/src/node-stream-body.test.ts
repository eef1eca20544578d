import { describe, expect, it } from "vitest";
import { nodeStreamBody } from "./node-stream-body.js";

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

describe("nodeStreamBody", () => {
  it("makes a Node stream body with the bytes and the size tus reads", async () => {
    const parts = [bytes(70_000, 1), bytes(16, 2), bytes(70_000, 3)];
    const body = nodeStreamBody(from(parts), 140_016);
    expect(body.size).toBe(140_016);
    const received = await all(body as unknown as AsyncIterable<Uint8Array>);
    expect(joined(received).equals(joined(parts))).toBe(true);
  });
});
