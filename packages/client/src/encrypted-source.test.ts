import { describe, expect, it } from "vitest";
import { EncryptedSource } from "./encrypted-source.js";

function streamOf(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);

describe("EncryptedSource", () => {
  it("serves consecutive slices across chunk boundaries", async () => {
    let opened = 0;
    const source = new EncryptedSource(data.length, () => {
      opened++;
      return streamOf(data, 33);
    });
    const a = await source.slice(0, 100);
    const b = await source.slice(100, 650);
    const c = await source.slice(650, 5000);
    expect([...a.value, ...b.value, ...c.value]).toEqual([...data]);
    expect(c.done).toBe(true);
    expect(a.done).toBe(false);
    expect(opened).toBe(1);
  });

  it("restarts the stream to serve an earlier offset (a resumed upload)", async () => {
    let opened = 0;
    const source = new EncryptedSource(data.length, () => {
      opened++;
      return streamOf(data, 64);
    });
    await source.slice(0, 900);
    const again = await source.slice(10, 20);
    expect([...again.value]).toEqual([...data.slice(10, 20)]);
    expect(opened).toBe(2);
  });

  it("starts at a later offset by discarding bytes", async () => {
    const source = new EncryptedSource(data.length, () => streamOf(data, 128));
    const tail = await source.slice(777, 1000);
    expect([...tail.value]).toEqual([...data.slice(777)]);
  });

  it("fails when the stream is shorter than announced", async () => {
    const source = new EncryptedSource(2000, () => streamOf(data, 128));
    await expect(source.slice(0, 2000)).rejects.toThrow(/ended at 1000/);
  });
});
