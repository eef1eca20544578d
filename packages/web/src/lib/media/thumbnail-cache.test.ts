import { describe, expect, it } from "vitest";
import { NoThumbnailError, ThumbnailCache } from "./thumbnail-cache.js";

/** A cache of one load at a time whose loads take `ms` each; `loads` lists the ids in the order they started. */
function recordingCache(ms: number): { cache: ThumbnailCache; loads: string[] } {
  const loads: string[] = [];
  const cache = new ThumbnailCache(async (id) => {
    loads.push(id);
    await new Promise((r) => setTimeout(r, ms));
    return new Uint8Array([1]);
  }, 1);
  return { cache, loads };
}

describe("ThumbnailCache", () => {
  it("never runs more loads than its concurrency, serves repeats from cache, and evicts beyond capacity", async () => {
    let running = 0;
    let peak = 0;
    const loads: string[] = [];
    const cache = new ThumbnailCache(
      async (id) => {
        loads.push(id);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return new Uint8Array([1, 2, 3, id.charCodeAt(0)]);
      },
      2,
      3,
    );
    const urls = await Promise.all(["a", "b", "c", "d"].map((id) => cache.get(id, "grid")));
    expect(peak).toBe(2);
    expect(new Set(urls).size).toBe(4);
    expect(urls.every((u) => u.startsWith("data:image/jpeg;base64,"))).toBe(true);
    expect(cache.peek("d", "grid")).toBe(urls[3]);
    expect(cache.peek("a", "grid")).toBeUndefined(); // evicted: capacity 3
    await cache.get("d", "grid");
    expect(loads.filter((id) => id === "d")).toHaveLength(1);
    cache.clear();
  });

  it("drops a queued request whose signal aborts before it starts", async () => {
    const { cache, loads } = recordingCache(5);
    const first = cache.get("x", "grid");
    const controller = new AbortController();
    const second = cache.get("y", "grid", controller.signal);
    controller.abort();
    await expect(second).rejects.toThrow("no longer needed");
    await first;
    await new Promise((r) => setTimeout(r, 20));
    expect(loads).toEqual(["x"]);
  });

  it("serves urgent (on-screen) requests before ones rendered ahead of the viewport, and loads each once", async () => {
    const { cache, loads } = recordingCache(2);
    const all = [
      cache.get("busy", "grid"),
      cache.get("on-screen-1", "grid"),
      cache.get("ahead-1", "grid", undefined, false),
      cache.get("on-screen-2", "grid"),
      cache.get("ahead-2", "grid", undefined, false),
    ];
    // A repeat request for the one already loading must not queue a second load.
    all.push(cache.get("busy", "grid"));
    await Promise.all(all);
    expect(loads).toEqual(["busy", "on-screen-2", "on-screen-1", "ahead-1", "ahead-2"]);
    cache.clear();
  });

  it("moves a queued request forward when its tile comes on screen, without loading it twice", async () => {
    const { cache, loads } = recordingCache(2);
    const all = [
      cache.get("busy", "grid"),
      cache.get("ahead-1", "grid", undefined, false),
      cache.get("ahead-2", "grid", undefined, false),
      cache.get("on-screen", "grid"),
    ];
    cache.promote("ahead-2", "grid");
    cache.promote("busy", "grid"); // already loading: nothing to move
    await Promise.all(all);
    expect(loads).toEqual(["busy", "ahead-2", "on-screen", "ahead-1"]);
    cache.clear();
  });

  it("prefetches behind waiting requests, nearest first, and drops a stale prefetch that has not started", async () => {
    const { cache, loads } = recordingCache(2);
    const busy = cache.get("busy", "grid");
    cache.prefetch(["stale-1", "stale-2"], "grid");
    cache.prefetch(["near", "far"], "grid");
    const onScreen = cache.get("on-screen", "grid");
    await Promise.all([busy, onScreen]);
    await new Promise((r) => setTimeout(r, 30));
    expect(loads).toEqual(["busy", "on-screen", "near", "far"]);
    expect(cache.peek("far", "grid")).toMatch(/^data:image\/jpeg;base64,/);
    cache.clear();
  });

  it("counts a load against its concurrency until it is decrypted, so decryptions never pile up", async () => {
    const started: string[] = [];
    let finishDecrypt: () => void = () => {};
    const decrypting = new Promise<void>((r) => (finishDecrypt = r));
    const cache = new ThumbnailCache(async (id) => {
      started.push(id);
      if (id === "slow") await decrypting;
      return new Uint8Array([1]);
    }, 1);
    const slow = cache.get("slow", "grid");
    const next = cache.get("next", "grid");
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual(["slow"]);
    finishDecrypt();
    await Promise.all([slow, next]);
    expect(started).toEqual(["slow", "next"]);
    cache.clear();
  });
  it("refuses an empty thumbnail with NO_THUMBNAIL instead of an object URL of no bytes", async () => {
    const cache = new ThumbnailCache(
      async (id) => (id === "none" ? new Uint8Array(0) : new Uint8Array([1])),
      2,
    );
    await expect(cache.get("none", "grid")).rejects.toBeInstanceOf(NoThumbnailError);
    await expect(cache.get("none", "grid")).rejects.toMatchObject({ code: "NO_THUMBNAIL" });
    expect(cache.peek("none", "grid")).toBeUndefined();
    expect(await cache.get("some", "grid")).toMatch(/^data:image\/jpeg;base64,/);
  });

  it("is idle only once no tile waits and no load (a prefetch too) is in flight", async () => {
    let finish: () => void = () => {};
    const loading = new Promise<void>((r) => (finish = r));
    const cache = new ThumbnailCache(async () => {
      await loading;
      return new Uint8Array([1]);
    }, 2);
    cache.prefetch(["first-screen"], "grid");
    let idle = false;
    const waited = cache.whenIdle(10_000, 0).then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 60));
    expect(idle).toBe(false);
    finish();
    await waited;
    expect(cache.peek("first-screen", "grid")).toMatch(/^data:image\/jpeg;base64,/);
  });

  it("keeps a data: URL its loader made (a worker's), and takes an empty one as NO_THUMBNAIL", async () => {
    const made = "data:image/jpeg;base64,/9j/made-in-a-worker";
    const cache = new ThumbnailCache(async (id) => (id === "none" ? "" : made), 2);
    expect(await cache.get("some", "grid")).toBe(made);
    expect(cache.peek("some", "grid")).toBe(made);
    await expect(cache.get("none", "grid")).rejects.toMatchObject({ code: "NO_THUMBNAIL" });
  });

  it("loads in batches of up to batchMax, each thumbnail settling on its own", async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const cache = new ThumbnailCache(
      async () => {
        throw new Error("the single loader is not used when batches are");
      },
      2,
      800,
      {
        batchMax: 4,
        loadBatch: async (ids) => {
          batches.push(ids);
          await held;
          return ids.map((id) =>
            id === "bad"
              ? { ok: false, error: new Error("TAMPERED") }
              : { ok: true, value: `data:image/jpeg;base64,${id}` },
          );
        },
      },
    );
    // Ten on screen at once: two slots, each load takes up to four, newest first.
    const ids = ["a", "b", "c", "d", "bad", "f", "g", "h", "i", "j"];
    const got = ids.map((id) =>
      cache.get(id, "grid").then(
        (u) => u,
        (e: Error) => e.message,
      ),
    );
    // Tiles asking in one task share batches: nothing starts before the task ends.
    expect(batches).toEqual([]);
    await Promise.resolve();
    expect(batches.map((b) => b.length)).toEqual([4, 4]);
    // The newest request (what just scrolled on) is in the first batch.
    expect(batches[0]![0]).toBe("j");
    release();
    const urls = await Promise.all(got);
    expect(urls[4]).toBe("TAMPERED");
    expect(urls.filter((u) => u.startsWith("data:"))).toHaveLength(9);
    expect(batches.flat().sort()).toEqual([...ids].sort());
    expect(cache.peek("a", "grid")).toBe("data:image/jpeg;base64,a");
  });
});
