import type { AlbumRecord } from "@umbra/protocol";
import { describe, expect, it } from "vitest";
import { testFileId, testFileRecord } from "../test/records.js";
import { MemoryStore } from "./store.js";
import { applySyncPage, emptySyncState, loadSyncState, saveSyncState } from "./sync-cache.js";

const fileId = testFileId;
const albumId = `a_${"B".repeat(22)}`;

const file = (n: number, seq: number) =>
  testFileRecord(n, { albums: [{ albumId, wrappedFileKey: "abc" }], seq });
const album: AlbumRecord = {
  id: albumId,
  kind: "library",
  encryptedName: "x",
  wrappedAlbumKey: "y",
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  seq: 1,
};

describe("sync cache", () => {
  it("applies pages in order, keeps the newest record and honours tombstones", () => {
    const state = emptySyncState();
    applySyncPage(state, {
      files: [file(1, 2), file(2, 3)],
      albums: [album],
      deleted: { files: [], albums: [] },
      cursor: "3",
      hasMore: true,
    });
    applySyncPage(state, {
      files: [{ ...file(1, 5), encryptedMetadata: "renamed" }],
      albums: [],
      deleted: { files: [fileId(2)], albums: [] },
      cursor: "6",
      hasMore: false,
    });
    expect(state.cursor).toBe("6");
    expect(Object.keys(state.files)).toEqual([fileId(1)]);
    expect(state.files[fileId(1)]!.encryptedMetadata).toBe("renamed");
    expect(state.albums[albumId]!.kind).toBe("library");
  });

  it("round-trips through a store and rebuilds from scratch on a corrupt cache", async () => {
    const store = new MemoryStore();
    const state = emptySyncState();
    state.cursor = "9";
    await saveSyncState(store, state);
    expect((await loadSyncState(store)).cursor).toBe("9");
    await store.set("sync-state", JSON.stringify({ cursor: 5 }));
    expect((await loadSyncState(store)).cursor).toBe("0");
  });
});
