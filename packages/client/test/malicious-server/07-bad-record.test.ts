import type { FileRecord } from "@umbra/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Scenario 7: one injected record must not break the listing or uploads: it is skipped and reported.
let s: MaliciousServer;
let alice: Account;
let good: string;

describe("one bad record", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
    good = (await alice.client.upload([photo("good.jpg", 3).source], hooks)).uploaded[0]!.fileId;
  }, 120_000);
  afterAll(() => s?.stop());

  it("a record whose metadata fails authentication is skipped and reported; the rest lists", async () => {
    const libraryId = await alice.client.library.libraryAlbumId();
    const row = s.sql<Record<string, unknown>>("select * from files where id = ?", good)[0]!;
    const wrap = s.sql<{ wrapped_file_key: string }>(
      "select wrapped_file_key from album_files where file_id = ?",
      good,
    )[0]!;
    const bad = "f_BADBADBADBADBADBADBADB";
    s.sql("update users set seq = seq + 1 where id = ?", alice.userId);
    s.sql(
      "insert into files (id, user_id, blob_key, encrypted_metadata, content_size, grid_size, preview_size, created_at, updated_at, trashed_at, seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, (select seq from users where id = ?))",
      bad,
      alice.userId,
      `${row.blob_key}-copy`,
      "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w",
      row.content_size,
      row.grid_size,
      row.preview_size,
      row.created_at,
      row.updated_at,
      alice.userId,
    );
    s.sql(
      "insert into album_files (album_id, file_id, user_id, wrapped_file_key, added_seq, key_version) values (?, ?, ?, ?, 999, 1)",
      libraryId,
      bad,
      alice.userId,
      wrap.wrapped_file_key,
    );
    await alice.client.library.sync();
    const files = await alice.client.library.files();
    expect(files.map((f) => f.id)).toEqual([good]);
    expect(alice.client.library.rejected.has(bad)).toBe(true);
    expect(alice.client.warnings.list.some((w) => w.code === "RECORD_REJECTED" && w.subject === bad)).toBe(
      true,
    );
    // Uploads still work.
    const summary = await alice.client.upload([photo("next.jpg", 5).source], hooks);
    expect(summary.failed).toEqual([]);
    expect(summary.uploaded).toHaveLength(1);
  });

  it("a malformed record in a sync page is skipped; the rest of the page applies", async () => {
    const device = await alice.newDevice();
    const undo = s.proxy.lie({
      method: "GET",
      path: /^\/api\/sync/,
      rewrite: (page) => ({
        ...page,
        files: [...page.files, { id: "f_MALFORMEDMALFORMEDMALF", albums: "not a list" }],
        albums: [...page.albums, { id: 42 }],
      }),
    });
    try {
      const state = await device.library.sync();
      expect(Object.keys(state.files)).toContain(good);
      expect(Object.values(state.files).every((f: FileRecord) => Array.isArray(f.albums))).toBe(true);
    } finally {
      undo();
    }
    const rejected = device.warnings.list.filter((w) => w.code === "RECORD_REJECTED");
    expect(rejected.map((w) => w.subject)).toContain("f_MALFORMEDMALFORMEDMALF");
    expect((await device.library.files()).map((f) => f.metadata.name)).toContain("good.jpg");
  });

  it("an album record whose key does not open is skipped; the others list", async () => {
    const album = await alice.client.library.createAlbum("Real");
    s.sql("update users set seq = seq + 1 where id = ?", alice.userId);
    s.sql(
      "update albums set wrapped_album_key = ?, seq = (select seq from users where id = ?) where id = ?",
      "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5",
      alice.userId,
      album.id,
    );
    const device = await alice.newDevice();
    await device.library.sync();
    const names = (await device.library.albums()).map((a) => a.name);
    expect(names).toEqual(["Library"]);
    expect(device.warnings.list.some((w) => w.code === "RECORD_REJECTED" && w.subject === album.id)).toBe(
      true,
    );
  });
});
