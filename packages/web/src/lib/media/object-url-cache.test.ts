import { describe, expect, it } from "vitest";
import { ObjectUrlCache } from "./object-url-cache.js";

const isLive = async (url: string) => {
  try {
    return (await (await fetch(url)).arrayBuffer()).byteLength > 0;
  } catch {
    return false;
  }
};

describe("ObjectUrlCache", () => {
  it("loads each file and variant once, and retries after a failure", async () => {
    const calls: string[] = [];
    let fail = true;
    const cache = new ObjectUrlCache(async (id, variant) => {
      calls.push(`${variant}:${id}`);
      if (id === "bad" && fail) throw new Error("offline");
      return new Uint8Array([1, 2, 3]);
    });
    const [a, b] = await Promise.all([cache.get("f1", "grid"), cache.get("f1", "grid")]);
    expect(a).toBe(b);
    expect(a).toMatch(/^blob:/);
    await cache.get("f1", "preview");
    await expect(cache.get("bad", "grid")).rejects.toThrow("offline");
    fail = false;
    await expect(cache.get("bad", "grid")).resolves.toMatch(/^blob:/);
    expect(calls).toEqual(["grid:f1", "preview:f1", "grid:bad", "grid:bad"]);
  });

  it("revokes every URL it made on dispose", async () => {
    const cache = new ObjectUrlCache(async () => new Uint8Array([9]));
    const url = await cache.get("f1", "grid");
    expect(await isLive(url)).toBe(true);
    cache.dispose();
    expect(await isLive(url)).toBe(false);
  });
});
