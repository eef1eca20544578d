import { AlbumRecord, SharedAlbumsResponse } from "@umbra/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Scenario 3: after a removal rotated the album key to version 2, the server serves version 1 again.
let s: MaliciousServer;
let alice: Account;
let carol: Account;
let albumId: string;
let oldRecord: AlbumRecord;
let oldShared: SharedAlbumsResponse;

/** Upload reports per-file failures: the one file's error code. */
async function uploadError(client: Account["client"], seed: number): Promise<unknown> {
  const summary = await client.upload([photo(`f${seed}.jpg`, seed).source], hooks, { albumId });
  expect(summary.uploaded).toEqual([]);
  return (summary.failed[0]?.error as { code?: string } | undefined)?.code;
}

const commits = () => s.proxy.seen.filter((r) => r.method === "POST" && r.path === "/api/files").length;

/** Serves the album as it was at version 1 in every sync page (with a seq that wins over the cached one). */
function serveOldAlbum(record: AlbumRecord): () => void {
  return s.proxy.lie({
    method: "GET",
    path: /^\/api\/sync/,
    rewrite: (b) => ({
      ...b,
      albums: [...b.albums.filter((a: AlbumRecord) => a.id !== record.id), { ...record, seq: 1e9 }],
    }),
  });
}

describe("album key rotation rolled back", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
    await s.account("bob@example.com");
    carol = await s.account("carol@example.com");
    albumId = (await alice.client.library.createAlbum("Family")).id;
    await alice.client.upload([photo("one.jpg", 3).source], hooks, { albumId });
    await alice.client.sharing.share(albumId, "bob@example.com", "viewer");
    await alice.client.sharing.share(albumId, "carol@example.com", "contributor");
    oldRecord = AlbumRecord.parse((await alice.client.library.sync()).albums[albumId]);
    oldShared = await carol.client.http.json("/api/shared", SharedAlbumsResponse);
    await carol.client.sharing.sharedWithMe();
    await alice.client.sharing.removeMembers(albumId, ["bob@example.com"]);
    await carol.client.sharing.sharedWithMe();
  }, 120_000);
  afterAll(() => s?.stop());

  it("the owner's upload refuses the old key (KEY_ROLLBACK) and commits nothing under it", async () => {
    expect(oldRecord.keyVersion ?? 1).toBe(1);
    const before = commits();
    const undo = serveOldAlbum(oldRecord);
    try {
      expect(await uploadError(alice.client, 5)).toBe("KEY_ROLLBACK");
    } finally {
      undo();
    }
    expect(commits()).toBe(before);
    expect(alice.client.warnings.list.map((w) => w.code)).toContain("KEY_ROLLBACK");
  });

  it("a new device of the owner refuses it too: the sealed checkpoint vouches for version 2", async () => {
    const device = await alice.newDevice();
    const undo = serveOldAlbum(oldRecord);
    try {
      expect(await uploadError(device, 7)).toBe("KEY_ROLLBACK");
    } finally {
      undo();
    }
  });

  it("the old key presented as version 2 fails authentication (the wrap binds its version)", async () => {
    const device = await alice.newDevice();
    const before = commits();
    const undo = serveOldAlbum({ ...oldRecord, keyVersion: 2 });
    try {
      expect(await uploadError(device, 9)).toBe("TAMPERED");
    } finally {
      undo();
    }
    expect(commits()).toBe(before);
  });

  it("a member's new device refuses the old grant too: her checkpoint records the version she opened", async () => {
    const device = await carol.newDevice();
    const fileId = (await device.upload([photo("carol-new.jpg", 13).source], hooks)).uploaded[0]!.fileId;
    const undo = s.proxy.lie({ method: "GET", path: "/api/shared", rewrite: () => oldShared });
    try {
      await expect(device.sharedFiles.add(albumId, fileId)).rejects.toMatchObject({ code: "KEY_ROLLBACK" });
    } finally {
      undo();
    }
  });

  it("a remaining member served her old grant refuses to add under it (KEY_ROLLBACK)", async () => {
    const fileId = (await carol.client.upload([photo("carol.jpg", 11).source], hooks)).uploaded[0]!.fileId;
    const undo = s.proxy.lie({ method: "GET", path: "/api/shared", rewrite: () => oldShared });
    await expect(carol.client.sharedFiles.add(albumId, fileId)).rejects.toMatchObject({
      code: "KEY_ROLLBACK",
    });
    undo();
    // Told the truth, her addition is sealed under version 2, which Bob does not hold.
    await carol.client.sharedFiles.add(albumId, fileId);
    const placed = s.sql<{ key_version: number }>(
      "select key_version from album_files where album_id = ? and file_id = ?",
      albumId,
      fileId,
    );
    expect(placed).toEqual([{ key_version: 2 }]);
  });
});
