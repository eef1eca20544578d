import { UserKeysResponse } from "@umbra/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Scenario 1: the server answers a lookup of one person with another account (id and validly self-signed keys).
let s: MaliciousServer;
let alice: Account;
let bob: Account;
let carol: Account;
let albumId: string;

const putsToMembers = () => s.proxy.seen.filter((r) => r.method === "PUT" && r.path.includes("/members/"));

describe("identity substitution by user id", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
    bob = await s.account("bob@example.com");
    carol = await s.account("carol@example.com");
    albumId = (await alice.client.library.createAlbum("Trip")).id;
    await alice.client.upload([photo("beach.jpg", 3).source], hooks, { albumId });
    // Alice shares with Bob once: this device pins bob@example.com → Bob's id → Bob's keys.
    await alice.client.sharing.share(albumId, "bob@example.com", "viewer");
  }, 120_000);
  afterAll(() => s?.stop());

  it("a lookup of a pinned email answered with another account is KEY_CHANGED, and nothing is sealed", async () => {
    const carolAnswer = await alice.client.http.json(`/api/users/${carol.userId}/keys`, UserKeysResponse);
    const other = (await alice.client.library.createAlbum("Other")).id;
    const before = putsToMembers().length;
    const undo = s.proxy.lie({
      path: "/api/users/lookup",
      rewrite: () => ({ ...(carolAnswer as object), email: "bob@example.com" }),
    });
    await expect(alice.client.sharing.share(other, "bob@example.com")).rejects.toMatchObject({
      code: "KEY_CHANGED",
    });
    await expect(alice.client.sharing.prepareShare("bob@example.com")).rejects.toMatchObject({
      code: "KEY_CHANGED",
    });
    undo();
    expect(putsToMembers().length).toBe(before);
  });

  it("an answer that names another email or user id than asked is refused (INVALID_RESPONSE)", async () => {
    const undo = s.proxy.lie({
      path: "/api/users/lookup",
      rewrite: (b) => ({ ...b, email: "dave@example.com" }),
    });
    await expect(alice.client.contacts.get("bob@example.com")).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
    });
    undo();
    const carolAnswer = await alice.client.http.json(`/api/users/${carol.userId}/keys`, UserKeysResponse);
    const undoId = s.proxy.lie({ path: `/api/users/${bob.userId}/keys`, rewrite: () => carolAnswer });
    await expect(alice.client.contacts.get(bob.userId)).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
    undoId();
  });

  it("an album 'shared by Bob' that Carol owns is refused: names come from pins, not the server", async () => {
    // Carol really shares an album with Alice; the server claims its owner is bob@example.com.
    const carolsAlbum = (await carol.client.library.createAlbum("Carol's")).id;
    await carol.client.upload([photo("carol.jpg", 5).source], hooks, { albumId: carolsAlbum });
    await carol.client.sharing.share(carolsAlbum, "alice@example.com", "contributor");
    const undoShared = s.proxy.lie({
      path: "/api/shared",
      rewrite: (b) => ({ albums: b.albums.map((a: object) => ({ ...a, ownerEmail: "bob@example.com" })) }),
    });
    const undoKeys = s.proxy.lie({
      path: `/api/users/${carol.userId}/keys`,
      rewrite: (b) => ({ ...b, email: "bob@example.com" }),
    });
    const { albums, rejected } = await alice.client.sharing.sharedWithMe();
    undoShared();
    undoKeys();
    expect(albums.find((a) => a.id === carolsAlbum)).toBeUndefined();
    expect(rejected.map((r) => r.id)).toContain(carolsAlbum);
    // Told the truth, Alice sees it as Carol's, by the name she pinned.
    const honest = await alice.client.sharing.sharedWithMe();
    expect(honest.albums.find((a) => a.id === carolsAlbum)?.ownerEmail).toBe("carol@example.com");
    // Adding to it as contributor seals nothing to Bob: the placement is for Carol's album.
    const fileId = (await alice.client.upload([photo("mine.jpg", 9).source], hooks)).uploaded[0]!.fileId;
    await alice.client.sharedFiles.add(carolsAlbum, fileId);
    const { files } = await carol.client.sharedFiles.list(carolsAlbum);
    expect(files.map((f) => f.uploaderId)).toContain(alice.userId);
  });

  it("a first contact is not pinned by prepareShare: the user sees the safety number first", async () => {
    const dave = await s.account("dave@example.com");
    const first = await alice.client.sharing.prepareShare("dave@example.com");
    expect(first).toMatchObject({ userId: dave.userId, email: "dave@example.com", firstContact: true });
    expect(first.safetyNumber.digits).toMatch(/\d/);
    expect((await alice.client.sharing.prepareShare("dave@example.com")).firstContact).toBe(true);
    await alice.client.sharing.share(albumId, "dave@example.com");
    expect((await alice.client.sharing.prepareShare("dave@example.com")).firstContact).toBe(false);
    // Once pinned, the server cannot give dave@'s name to another account.
    const bobAnswer = await alice.client.http.json(`/api/users/${bob.userId}/keys`, UserKeysResponse);
    const undo = s.proxy.lie({
      path: "/api/users/lookup",
      rewrite: () => ({ ...(bobAnswer as object), email: "dave@example.com" }),
    });
    await expect(alice.client.sharing.prepareShare("dave@example.com")).rejects.toMatchObject({
      code: "KEY_CHANGED",
    });
    undo();
  });

  it("keys swapped between the confirmed safety number and the share are refused; nothing is pinned", async () => {
    const erin = await s.account("erin@example.com");
    const shown = await alice.client.sharing.prepareShare("erin@example.com");
    expect(shown).toMatchObject({ userId: erin.userId, firstContact: true });
    const carolAnswer = await alice.client.http.json(`/api/users/${carol.userId}/keys`, UserKeysResponse);
    const before = putsToMembers().length;
    const undo = s.proxy.lie({
      path: "/api/users/lookup",
      rewrite: () => ({ ...carolAnswer, email: "erin@example.com" }),
    });
    try {
      await expect(
        alice.client.sharing.share(albumId, "erin@example.com", "viewer", {
          confirmed: shown.safetyNumber.digits,
        }),
      ).rejects.toMatchObject({ code: "KEY_CHANGED" });
    } finally {
      undo();
    }
    expect(putsToMembers().length).toBe(before);
    expect((await alice.client.sharing.prepareShare("erin@example.com")).firstContact).toBe(true);
    await alice.client.sharing.share(albumId, "erin@example.com", "viewer", {
      confirmed: shown.safetyNumber.digits,
    });
    expect((await alice.client.sharing.members(albumId)).members.map((m) => m.email)).toContain(
      "erin@example.com",
    );
  });

  it("member names shown to the owner come from pins even when the server renames them", async () => {
    const undo = s.proxy.lie({
      path: `/api/albums/${albumId}/members`,
      method: "GET",
      rewrite: (b) => ({
        ...b,
        members: b.members.map((m: object) => ({ ...m, email: "mallory@example.com" })),
      }),
    });
    const { members } = await alice.client.sharing.members(albumId);
    undo();
    expect(members.map((m) => m.email).sort()).toEqual([
      "bob@example.com",
      "dave@example.com",
      "erin@example.com",
    ]);
  });
});
