import { fromBase64Url, toBase64Url, unwrapAlbumKey, wrapAlbumKey } from "@umbra/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Migration (SPEC §4.1): an album rotated before wraps bound their generation still opens once, and is re-wrapped.
let s: MaliciousServer;
let alice: Account;
let albumId: string;
let keyV2: Uint8Array;
let legacyWrap: string;

const rewraps = () =>
  s.proxy.seen.filter((r) => r.method === "PUT" && r.path === `/api/albums/${albumId}/wrapped-key`).length;

/** Puts the album's v2 key back in the form older clients wrote (generation-1 associated data). */
function storeLegacyWrap(): void {
  s.sql("update albums set wrapped_album_key = ? where id = ?", legacyWrap, albumId);
  s.touch(albumId);
}

describe("albums rotated before generations were bound", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
    await s.account("bob@example.com");
    albumId = (await alice.client.library.createAlbum("Old rotation")).id;
    await alice.client.upload([photo("old.jpg", 3).source], hooks, { albumId });
    await alice.client.sharing.share(albumId, "bob@example.com");
    await alice.client.sharing.removeMembers(albumId, ["bob@example.com"]);
    keyV2 = await alice.client.library.albumKey(albumId);
    const masterKey = alice.client.exportMasterKey();
    legacyWrap = toBase64Url(await wrapAlbumKey(masterKey, keyV2, alice.userId, albumId));
  }, 120_000);
  afterAll(() => s?.stop());

  it("a device that never saw the bound wrap opens the legacy one once and re-wraps it bound", async () => {
    storeLegacyWrap();
    const device = await alice.newDevice();
    const before = rewraps();
    const files = await device.library.files({ albumId });
    expect(files.map((f) => f.metadata.name)).toEqual(["old.jpg"]);
    expect(rewraps()).toBe(before + 1);
    const stored = s.sql<{ wrapped_album_key: string; key_version: number }>(
      "select wrapped_album_key, key_version from albums where id = ?",
      albumId,
    )[0]!;
    expect(stored.key_version).toBe(2);
    const bound = await unwrapAlbumKey(
      alice.client.exportMasterKey(),
      fromBase64Url(stored.wrapped_album_key),
      alice.userId,
      albumId,
      2,
    );
    expect(Buffer.from(bound).equals(Buffer.from(keyV2))).toBe(true);
  });

  it("a device that saw the bound wrap refuses the legacy form afterwards (TAMPERED)", async () => {
    // Alice's first device rotated the album: it saw the bound wrap.
    storeLegacyWrap();
    await alice.client.library.sync();
    await expect(alice.client.library.albumKey(albumId)).rejects.toMatchObject({ code: "TAMPERED" });
  });
});
