import { describe, expect, it } from "vitest";
import type { LibraryItem } from "../state/media-types.js";
import { uniqueName, zipOf } from "./zip-download.js";

const item = (id: string, name: string): LibraryItem =>
  ({ id, meta: { name, mime: "image/jpeg", size: 3 }, time: Date.UTC(2021, 6, 14), albumIds: [] }) as never;

describe("zip download", () => {
  it("gives repeated names a number, case-insensitively, and removes path separators", () => {
    const used = new Map<string, number>();
    expect(["a.jpg", "A.jpg", "a.jpg", "b/c.jpg"].map((n) => uniqueName(n, used))).toEqual([
      "a.jpg",
      "A (1).jpg",
      "a (2).jpg",
      "b_c.jpg",
    ]);
  });

  it("streams a zip whose entries hold each file's decrypted bytes", async () => {
    const items = [item("1", "x.jpg"), item("2", "x.jpg")];
    const done: number[] = [];
    const response = zipOf(
      items,
      async (i) => new Blob([`bytes of ${i.id}`]),
      (n) => done.push(n),
    );
    const zip = Buffer.from(await response.arrayBuffer());
    expect(zip.readUInt32LE(0)).toBe(0x04034b50); // A local file header.
    expect(zip.includes(Buffer.from("bytes of 1"))).toBe(true);
    expect(zip.includes(Buffer.from("bytes of 2"))).toBe(true);
    expect(zip.includes(Buffer.from("x (1).jpg"))).toBe(true);
    expect(done).toEqual([1, 2]);
  });
});
