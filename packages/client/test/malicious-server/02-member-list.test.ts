import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Scenario 2: the owner removes a member and rotates the album key; the server's member list is not trusted.
let s: MaliciousServer;
let alice: Account;
let bob: Account;
let carol: Account;
let dave: Account;

interface RotateBody {
  remove: string[];
  members: { userId: string }[];
}

/** Records the body of every rotation the owner sends. */
function watchRotations(): RotateBody[] {
  const bodies: RotateBody[] = [];
  s.proxy.lie({
    method: "POST",
    path: /\/api\/albums\/[^/]+\/rotate$/,
    rewrite: (_body, exchange) => {
      bodies.push(exchange.requestJson as RotateBody);
      return undefined;
    },
  });
  return bodies;
}

async function sharedAlbum(name: string): Promise<string> {
  const albumId = (await alice.client.library.createAlbum(name)).id;
  await alice.client.upload([photo(`${name}.jpg`, name.length).source], hooks, { albumId });
  await alice.client.sharing.share(albumId, "bob@example.com", "viewer");
  await alice.client.sharing.share(albumId, "carol@example.com", "contributor");
  return albumId;
}

describe("member removal against a lying member list", { timeout: 120_000 }, () => {
  let rotations: RotateBody[];
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
    bob = await s.account("bob@example.com");
    carol = await s.account("carol@example.com");
    dave = await s.account("dave@example.com");
    rotations = watchRotations();
  }, 120_000);
  afterAll(() => s?.stop());

  it("a member the server injects (with a copied grant) gets no rotated key", async () => {
    const albumId = await sharedAlbum("injected");
    // Dave's identity exists; the server adds him as a member, with Bob's grant and sealed key.
    await dave.client.sharing.ownKeys();
    const bobRow = s.sql<Record<string, unknown>>(
      "select * from album_members where album_id = ? and user_id = ?",
      albumId,
      bob.userId,
    )[0]!;
    s.sql(
      "insert into album_members (album_id, user_id, role, key_version, sealed_album_key, grant, created_at) values (?, ?, ?, ?, ?, ?, ?)",
      albumId,
      dave.userId,
      "contributor",
      bobRow.key_version,
      bobRow.sealed_album_key,
      bobRow.grant,
      bobRow.created_at,
    );
    const { members } = await alice.client.sharing.members(albumId);
    expect(members.map((m) => m.userId).sort()).toEqual([bob.userId, carol.userId].sort());
    await alice.client.sharing.removeMembers(albumId, ["bob@example.com"]);
    const body = rotations.at(-1)!;
    // The injected row is removed along with Bob, and only Carol gets the new key.
    expect(body.remove).toEqual([bob.userId, dave.userId]);
    expect(body.members.map((m) => m.userId)).toEqual([carol.userId]);
    await expect(dave.client.sharedFiles.list(albumId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("swapped emails: 'remove bob' removes Bob's user id, and Bob gets no new key", async () => {
    const albumId = await sharedAlbum("swapped");
    const undo = s.proxy.lie({
      method: "GET",
      path: `/api/albums/${albumId}/members`,
      rewrite: (b) => ({
        ...b,
        members: b.members.map((m: { userId: string }) => ({
          ...m,
          email: m.userId === bob.userId ? "carol@example.com" : "bob@example.com",
        })),
      }),
    });
    await alice.client.sharing.removeMembers(albumId, ["bob@example.com"]);
    undo();
    const body = rotations.at(-1)!;
    expect(body.remove).toEqual([bob.userId]);
    expect(body.members.map((m) => m.userId)).toEqual([carol.userId]);
    // Bob cannot open what is added now; Carol can.
    const added = (await alice.client.upload([photo("after.jpg", 77).source], hooks, { albumId }))
      .uploaded[0]!;
    const carolView = await carol.client.sharedFiles.list(albumId);
    expect(carolView.files.map((f) => f.id)).toContain(added.fileId);
    await expect(bob.client.sharedFiles.list(albumId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a removed member's old grant replayed into the list is not a member (its key version is old)", async () => {
    const albumId = await sharedAlbum("replayed");
    const bobRow = s.sql<Record<string, unknown>>(
      "select * from album_members where album_id = ? and user_id = ?",
      albumId,
      bob.userId,
    )[0]!;
    await alice.client.sharing.removeMembers(albumId, [bob.userId]);
    s.sql(
      "insert into album_members (album_id, user_id, role, key_version, sealed_album_key, grant, created_at) values (?, ?, ?, ?, ?, ?, ?)",
      albumId,
      bob.userId,
      "contributor",
      2,
      bobRow.sealed_album_key,
      bobRow.grant,
      bobRow.created_at,
    );
    const { members } = await alice.client.sharing.members(albumId);
    expect(members.map((m) => m.userId)).toEqual([carol.userId]);
    await alice.client.sharing.removeMembers(albumId, ["carol@example.com"]);
    expect(rotations.at(-1)!.remove.sort()).toEqual([bob.userId, carol.userId].sort());
    expect(rotations.at(-1)!.members).toEqual([]);
    await expect(alice.client.sharing.removeMembers(albumId, ["bob@example.com"])).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
