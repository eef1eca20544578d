import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "./limit.js";

describe("concurrencyLimit", () => {
  it("never runs more than n tasks at once and runs them all", async () => {
    const limit = concurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const task = (i: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5 + (i % 3)));
      running--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => limit(task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(peak).toBe(2);
  });

  it("frees the slot of a task that throws", async () => {
    const limit = concurrencyLimit(1);
    await expect(limit(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(() => Promise.resolve("next"))).toBe("next");
  });
});
