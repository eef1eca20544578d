import { CheckpointResponse, type FileRecord } from "@umbra/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UmbraClient } from "../../src/client.js";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Scenario 6: the sync feed lies: forged tombstones, withheld files, a cursor going back, rolled-back renames,
// trash nobody asked for, resurrected files, an old checkpoint.
let s: MaliciousServer;
let alice: Account;

async function upload(client: UmbraClient, name: string, seed: number): Promise<string> {
  return (await client.upload([photo(name, seed).source], hooks)).uploaded[0]!.fileId;
}

const mismatches = (client: UmbraClient) =>
  client.warnings.list.filter((w) => w.code === "LIBRARY_MISMATCH").map((w) => w.subject ?? "");

/** Runs `body` with a lie on /api/sync, taken back afterwards whatever happens. */
async function withSyncLie<T>(
  // biome-ignore lint/suspicious/noExplicitAny: a lie edits the page as the test writes it
  rewrite: (page: any) => unknown,
  body: () => Promise<T>,
): Promise<T> {
  const undo = s.proxy.lie({ method: "GET", path: /^\/api\/sync/, rewrite });
  try {
    return await body();
  } finally {
    undo();
  }
}

describe("an authenticated view of the library against a lying sync feed", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
  }, 120_000);
  afterAll(() => s?.stop());

  it("an honest server raises no warning: two devices change the library in turn", async () => {
    const honest = await s.account("honest@example.com");
    const other = await honest.newDevice();
    const a = await upload(honest.client, "a.jpg", 21);
    const b = await upload(other, "b.jpg", 22);
    const album = await other.library.createAlbum("Both");
    await honest.client.library.sync();
    await honest.client.library.addToAlbum(a, album.id);
    await other.library.sync();
    await other.library.renameFile(a, "renamed.jpg");
    await other.library.trash(b);
    await honest.client.library.sync();
    await honest.client.library.restore(b);
    await honest.client.library.removeFromAlbum(a, album.id);
    const c = await upload(honest.client, "c.jpg", 23);
    await other.library.sync();
    await other.library.trash(c);
    await other.library.emptyTrash();
    await honest.client.library.deleteAlbum(album.id);
    await honest.client.library.sync();
    await other.library.sync();
    for (const device of [honest.client, other]) {
      expect(device.warnings.list).toEqual([]);
      expect(Object.values(device.library.discrepancies!).flat()).toEqual([]);
    }
    expect((await other.library.files()).map((f) => f.metadata.name).sort()).toEqual([
      "b.jpg",
      "renamed.jpg",
    ]);
    // A device that holds the newest checkpoint is not sent it again (304): a large library's is megabytes.
    const reads = s.proxy.seen.filter((r) => r.method === "GET" && r.path === "/api/library/checkpoint");
    expect(reads.some((r) => r.status === 304)).toBe(true);
  });

  it("a forged tombstone hiding a live file is detected", async () => {
    const fileId = await upload(alice.client, "hidden.jpg", 3);
    const found = await withSyncLie(
      (page) => ({ ...page, deleted: { ...page.deleted, files: [...page.deleted.files, fileId] } }),
      () => alice.client.library.sync().then(() => alice.client.library.discrepancies!),
    );
    expect(found.hidden).toContain(fileId);
    expect(mismatches(alice.client).some((subject) => subject.includes(fileId))).toBe(true);
  });

  it("a new file withheld from a second device is detected there", async () => {
    const device = await alice.newDevice();
    const fileId = await upload(alice.client, "withheld.jpg", 5);
    const found = await withSyncLie(
      (page) => ({ ...page, files: page.files.filter((f: FileRecord) => f.id !== fileId) }),
      () => device.library.sync().then(() => device.library.discrepancies!),
    );
    expect(found.hidden).toContain(fileId);
    expect(mismatches(device).some((subject) => subject.includes(fileId))).toBe(true);
  });

  // `umbra upload --album NAME` creates the album when the listing has none of that name: a server hiding one
  // makes a second album of the name, and the hidden one is flagged, not silently lost.
  it("an own album withheld from a second device is detected there", async () => {
    const device = await alice.newDevice();
    const album = await alice.client.library.createAlbum("Withheld trip");
    const found = await withSyncLie(
      (page) => ({ ...page, albums: page.albums.filter((a: { id: string }) => a.id !== album.id) }),
      () => device.library.sync().then(() => device.library.discrepancies!),
    );
    expect(await device.library.findAlbum("Withheld trip")).toBeUndefined();
    expect(found.albums).toContain(album.id);
    expect(mismatches(device).some((subject) => subject.includes(album.id))).toBe(true);
  });

  it("the cursor never goes back", async () => {
    const device = await alice.newDevice();
    const cursor = (await device.library.sync()).cursor;
    expect(Number(cursor)).toBeGreaterThan(1);
    await upload(alice.client, "after-cursor.jpg", 7);
    const state = await withSyncLie(
      (page) => ({ ...page, cursor: "1" }),
      () => device.library.sync(),
    );
    expect(BigInt(state.cursor)).toBeGreaterThanOrEqual(BigInt(cursor));
    expect(device.warnings.list.map((w) => w.code)).toContain("SYNC_ROLLBACK");
  });

  it("a rename rolled back to the older (authentic) metadata is detected", async () => {
    const fileId = await upload(alice.client, "before.jpg", 9);
    const old = (await alice.client.library.file(fileId)).record;
    await alice.client.library.renameFile(fileId, "after.jpg");
    const device = await alice.newDevice();
    const found = await withSyncLie(
      (page) => ({
        ...page,
        files: page.files.map((f: FileRecord) =>
          f.id === fileId ? { ...f, encryptedMetadata: old.encryptedMetadata, seq: f.seq } : f,
        ),
      }),
      () => device.library.sync().then(() => device.library.discrepancies!),
    );
    expect(found.changed).toContain(fileId);
  });

  it("a file the server puts in the trash stays in the library, with a warning", async () => {
    const fileId = await upload(alice.client, "not-trashed.jpg", 11);
    s.sql("update users set seq = seq + 1 where id = ?", alice.userId);
    s.sql(
      "update files set trashed_at = ?, seq = (select seq from users where id = ?) where id = ?",
      new Date().toISOString(),
      alice.userId,
      fileId,
    );
    const device = await alice.newDevice();
    await device.library.sync();
    expect(device.library.discrepancies!.trash).toContain(fileId);
    expect((await device.library.files({ trashed: false })).map((f) => f.id)).toContain(fileId);
    expect((await device.library.files({ trashed: true })).map((f) => f.id)).not.toContain(fileId);
  });

  it("the user can accept the listed library as theirs: the warning does not come back", async () => {
    const device = await alice.newDevice();
    await device.library.sync();
    expect(Object.values(device.library.discrepancies!).flat().length).toBeGreaterThan(0);
    await device.library.acceptCurrentState();
    expect(Object.values(device.library.discrepancies!).flat()).toEqual([]);
    const other = await alice.newDevice();
    await other.library.sync();
    expect(Object.values(other.library.discrepancies!).flat()).toEqual([]);
  });

  it("a file deleted for good and brought back by the server is detected", async () => {
    const fileId = await upload(alice.client, "gone.jpg", 13);
    const record = (await alice.client.library.file(fileId)).record;
    await alice.client.library.trash(fileId);
    await alice.client.library.deletePermanently(fileId);
    const device = await alice.newDevice();
    const found = await withSyncLie(
      (page) => ({ ...page, files: [...page.files.filter((f: FileRecord) => f.id !== fileId), record] }),
      () => device.library.sync().then(() => device.library.discrepancies!),
    );
    expect(found.unexpected).toContain(fileId);
  });

  it("an older checkpoint than this device has seen is refused with a warning; the library stays usable", async () => {
    const old = await alice.client.http.json("/api/library/checkpoint", CheckpointResponse);
    await upload(alice.client, "newer.jpg", 15);
    await alice.client.library.sync();
    const undo = s.proxy.lie({ method: "GET", path: "/api/library/checkpoint", rewrite: () => old });
    try {
      await alice.client.library.sync();
      expect((await alice.client.library.files()).length).toBeGreaterThan(0);
    } finally {
      undo();
    }
    expect(alice.client.warnings.list.map((w) => w.code)).toContain("SYNC_ROLLBACK");
  });

  it("a checkpoint the server edits fails to open, with a warning", async () => {
    const device = await alice.newDevice();
    const undo = s.proxy.lie({
      method: "GET",
      path: "/api/library/checkpoint",
      rewrite: (b) => ({
        ...b,
        checkpoint: `${b.checkpoint.slice(0, 40)}${b.checkpoint[40] === "A" ? "B" : "A"}${b.checkpoint.slice(41)}`,
      }),
    });
    try {
      await device.library.sync();
    } finally {
      undo();
    }
    expect(device.warnings.list.map((w) => w.code)).toContain("LIBRARY_MISMATCH");
  });
});
