import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentDigest } from "@umbra/crypto";
import { describe, expect, it } from "vitest";
import { digestFile } from "./file-digest-worker.js";

describe("the digest worker's file digest", () => {
  it("equals the SDK's content digest of the same bytes (so duplicates match across devices)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "umbra-digest-"));
    try {
      const key = randomBytes(32);
      for (const size of [0, 1, 1024 * 1024, 3 * 1024 * 1024 + 17]) {
        const bytes = randomBytes(size);
        const path = join(dir, `f${size}`);
        await writeFile(path, bytes);
        expect(await digestFile(path, new Uint8Array(key))).toBe(await contentDigest(key, bytes));
      }
      await expect(digestFile(join(dir, "missing"), new Uint8Array(key))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
