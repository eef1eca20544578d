import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Scenario 4: the server lists one of the owner's private files in a shared album, hoping the owner's client signs
// (and re-wraps) it for the members.
let s: MaliciousServer;
let alice: Account;
let bob: Account;
let albumId: string;
let privateId: string;

const placementPuts = (fileId: string) =>
  s.proxy.seen.filter((r) => r.method === "PUT" && r.path === `/api/albums/${albumId}/files/${fileId}`);

describe("the owner places files only by their own action", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
    bob = await s.account("bob@example.com");
    privateId = (await alice.client.upload([photo("private.jpg", 3).source], hooks)).uploaded[0]!.fileId;
    albumId = (await alice.client.library.createAlbum("Shared")).id;
    await alice.client.upload([photo("public.jpg", 5).source], hooks, { albumId });
    // The server slips the private file into the album, with its library wrap and no signature.
    const row = s.sql<{ wrapped_file_key: string }>(
      "select wrapped_file_key from album_files where file_id = ?",
      privateId,
    )[0]!;
    s.sql(
      "insert into album_files (album_id, file_id, user_id, wrapped_file_key, added_seq, key_version) values (?, ?, ?, ?, 999, 1)",
      albumId,
      privateId,
      alice.userId,
      row.wrapped_file_key,
    );
  }, 120_000);
  afterAll(() => s?.stop());

  it("sharing signs the album's real placements and not the injected one", async () => {
    await alice.client.sharing.share(albumId, "bob@example.com", "viewer");
    expect(placementPuts(privateId)).toEqual([]);
    const signed = s.sql<{ file_id: string; signature: string | null }>(
      "select file_id, signature from album_files where album_id = ?",
      albumId,
    );
    expect(signed.find((r) => r.file_id === privateId)?.signature).toBeNull();
    expect(signed.filter((r) => r.signature !== null)).toHaveLength(1);
    expect(
      alice.client.warnings.list.some((w) => w.code === "RECORD_REJECTED" && w.subject === privateId),
    ).toBe(true);
  });

  it("Bob never sees it, and listing the album as owner signs nothing either", async () => {
    const before = placementPuts(privateId).length;
    const own = await alice.client.sharedFiles.list(albumId);
    expect(own.files.map((f) => f.id)).not.toContain(privateId);
    expect(own.rejected.map((r) => r.id)).toContain(privateId);
    const { files, rejected } = await bob.client.sharedFiles.list(albumId);
    expect(files.map((f) => f.metadata.name)).toEqual(["public.jpg"]);
    expect(rejected.map((r) => r.id)).toContain(privateId);
    await expect(bob.client.sharedFiles.download(albumId, privateId)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    expect(placementPuts(privateId).length).toBe(before);
  });

  it("a file Alice places herself afterwards is signed and reaches Bob", async () => {
    const later = (await alice.client.upload([photo("later.jpg", 9).source], hooks)).uploaded[0]!.fileId;
    await alice.client.library.addToAlbum(later, albumId);
    const { files } = await bob.client.sharedFiles.list(albumId);
    expect(files.map((f) => f.metadata.name).sort()).toEqual(["later.jpg", "public.jpg"]);
  });
});
