import { describe, expect, it } from "vitest";
import { testFileRecord } from "../test/records.js";
import { HttpTransport } from "./http.js";
import { Library } from "./library.js";
import { MemoryStore } from "./store.js";
import { emptySyncState, loadSyncState, MemorySyncState } from "./sync-cache.js";

const file = (n: number) => testFileRecord(n);

/** Counts writes of the sync cache; can be told to fail them. */
class CountingStore extends MemoryStore {
  writes = 0;
  failing = false;
  override async set(key: string, value: string) {
    if (this.failing) throw new Error("disk full");
    this.writes++;
    await super.set(key, value);
  }
}

function libraryOn(store: CountingStore): Library {
  // No request is made: the state is set, so nothing syncs.
  const library = new Library(
    new HttpTransport({ serverUrl: "http://127.0.0.1:9" }),
    store,
    "u_test",
    new Uint8Array(32),
  );
  library.state = emptySyncState();
  return library;
}

describe("Library's cache saves", () => {
  it("saves records remembered one after another once, and flush waits for it", async () => {
    const store = new CountingStore();
    const library = libraryOn(store);
    // As an upload does: each remember awaited before the next (it used to await a whole-cache write).
    for (let i = 1; i <= 200; i++) await library.remember(file(i));
    expect(store.writes).toBe(0);
    await library.flush();
    expect(store.writes).toBe(1);
    expect(Object.keys((await loadSyncState(store)).files)).toHaveLength(200);
    // A change while nothing is pending is saved again.
    await library.remember(file(500));
    await library.flush();
    expect(store.writes).toBe(2);
    expect((await loadSyncState(store)).files[file(500).id]).toBeDefined();
  });

  it("reports a failed save at the next flush, and the next change is saved again", async () => {
    const store = new CountingStore();
    const library = libraryOn(store);
    store.failing = true;
    await library.remember(file(1));
    await expect(library.flush()).rejects.toThrow("disk full");
    store.failing = false;
    await library.remember(file(2));
    await library.flush();
    expect(Object.keys((await loadSyncState(store)).files)).toHaveLength(2);
  });

  it("with a MemorySyncState keeps the state as objects: nothing is serialized into the store", async () => {
    const store = new CountingStore();
    const cache = new MemorySyncState();
    const library = new Library(
      new HttpTransport({ serverUrl: "http://127.0.0.1:9" }),
      store,
      "u_test",
      new Uint8Array(32),
      cache,
    );
    library.state = emptySyncState();
    await library.remember(file(7));
    await library.flush();
    expect(store.writes).toBe(0);
    const loaded = await cache.load();
    expect(loaded.files[file(7).id]).toEqual(file(7));
    // A copy: a sync filling the loaded state does not change what the cache holds until it is saved.
    delete loaded.files[file(7).id];
    expect((await cache.load()).files[file(7).id]).toBeDefined();
  });
});
