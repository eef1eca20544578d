import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datedDir, fileDate, safeFileName, uniquePath, writeStreamAtomically } from "./output-files.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "umbra-out-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("output files", () => {
  it("makes names safe as one path component", () => {
    expect(safeFileName("../../etc/passwd")).toBe(".._.._etc_passwd");
    expect(safeFileName("..")).toBe("_");
    expect(safeFileName("a\u0000b\\c")).toBe("a_b_c");
    expect(safeFileName("   ")).toBe("unnamed");
  });

  it("dates files by takenAt, then modifiedAt, then upload time, in UTC folders", () => {
    expect(
      fileDate(
        { name: "a", mime: "", size: 0, takenAt: "2020-02-03T00:00:00Z" },
        "2026-01-01T00:00:00Z",
      ).getUTCFullYear(),
    ).toBe(2020);
    expect(
      fileDate(
        { name: "a", mime: "", size: 0, extra: { modifiedAt: "2019-01-01T00:00:00Z" } },
        "2026-01-01T00:00:00Z",
      ).getUTCFullYear(),
    ).toBe(2019);
    expect(datedDir("/x", new Date("2021-09-30T23:00:00Z"))).toBe("/x/2021/09");
  });

  it("resolves collisions with numbered names", async () => {
    const reserved = new Set<string>();
    const a = await uniquePath(dir, "p.jpg", reserved);
    const b = await uniquePath(dir, "p.jpg", reserved);
    expect(a).toBe(join(dir, "p.jpg"));
    expect(b).toBe(join(dir, "p (1).jpg"));
  });

  it("renames into place only after the stream ends, and removes the partial on error", async () => {
    const good = join(dir, "good.bin");
    await writeStreamAtomically(good, new Blob([new Uint8Array([1, 2, 3])]).stream(), {
      mtime: new Date("2001-01-01T00:00:00Z"),
    });
    expect([...(await readFile(good))]).toEqual([1, 2, 3]);
    expect((await stat(good)).mtime.toISOString()).toBe("2001-01-01T00:00:00.000Z");
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([9, 9]));
        controller.error(Object.assign(new Error("segment 1 failed authentication"), { code: "TAMPERED" }));
      },
    });
    const bad = join(dir, "sub", "bad.bin");
    await expect(writeStreamAtomically(bad, failing)).rejects.toThrow(/authentication/);
    expect(await readdir(join(dir, "sub"))).toEqual([]);
  });
});
