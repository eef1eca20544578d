import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFailure, EXIT } from "./errors-output.js";
import { JsonFileStore } from "./json-file-store.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "umbra-store-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("JsonFileStore", () => {
  it("persists across instances and lists by prefix", async () => {
    const path = join(dir, "nested", "state.json");
    const a = new JsonFileStore(path);
    await Promise.all([a.set("tus::x::1", "one"), a.set("tus::y::2", "two"), a.set("dedup:z", "f")]);
    await a.delete("tus::y::2");
    const b = new JsonFileStore(path);
    expect(await b.get("tus::x::1")).toBe("one");
    expect(await b.keys("tus::")).toEqual(["tus::x::1"]);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ "tus::x::1": "one", "dedup:z": "f" });
  });
});

describe("JsonFileStore bursts", () => {
  it("coalesces concurrent writes and resolves each set only once its value is on disk", async () => {
    const path = join(dir, "burst.json");
    const store = new JsonFileStore(path);
    const sets = Array.from({ length: 50 }, (_, i) =>
      store.set(`k${i}`, `v${i}`).then(async () => {
        const onDisk = JSON.parse(await readFile(path, "utf8")) as Record<string, string>;
        return onDisk[`k${i}`];
      }),
    );
    expect(await Promise.all(sets)).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
    await store.set("late", "x");
    expect(await new JsonFileStore(path).get("late")).toBe("x");
  });
});

describe("describeFailure", () => {
  it("maps stable codes to one line and distinct exit codes", () => {
    expect(describeFailure(Object.assign(new Error("x"), { code: "WRONG_PASSWORD" })).exitCode).toBe(
      EXIT.auth,
    );
    expect(describeFailure(Object.assign(new Error("x"), { code: "NETWORK" })).exitCode).toBe(EXIT.network);
    expect(describeFailure(Object.assign(new Error("x"), { code: "QUOTA_EXCEEDED" })).exitCode).toBe(
      EXIT.quota,
    );
    expect(describeFailure(Object.assign(new Error("x"), { code: "TRUNCATED" })).exitCode).toBe(
      EXIT.tampered,
    );
    expect(describeFailure(new Error("plain")).line).toBe("plain");
  });
});
