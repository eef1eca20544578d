import { fromBase64Url, padmeLength } from "@umbra/crypto";
import { CheckpointHeadResponse, CheckpointResponse } from "@umbra/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store.js";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Scenario 10: hidden albums. The choice lives in the sealed library checkpoint only: the server learns that the
// checkpoint was rewritten, nothing about which album, and cannot undo the choice by serving an older checkpoint.
let s: MaliciousServer;
let alice: Account;

// The envelope around a checkpoint: version byte, 12-byte IV, 16-byte tag (SPEC §1).
const ENVELOPE_OVERHEAD = 1 + 12 + 16;
const HEAD = "/api/library/checkpoint/head";

/** The stored head's plaintext length (its sealed length less the envelope). */
async function storedHeadLength(account: Account): Promise<number> {
  const { head } = await account.client.http.json(HEAD, CheckpointHeadResponse);
  return fromBase64Url(head!).length - ENVELOPE_OVERHEAD;
}

/** A lie on the head's GET that flips one character of the sealed head. */
function flipHeadLie() {
  return s.proxy.lie({
    method: "GET",
    path: HEAD,
    rewrite: (answer) => {
      const { counter, head } = answer as { counter: number; head: string };
      const at = Math.floor(head.length / 2);
      const flipped = head[at] === "A" ? "B" : "A";
      return { counter, head: head.slice(0, at) + flipped + head.slice(at + 1) };
    },
  });
}

/** Every table but the checkpoint's, as rows: what hiding an album must leave exactly as it was. */
function tablesBesidesCheckpoint(): Record<string, unknown[]> {
  const tables = s
    .sql<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .map((t) => t.name)
    .filter((name) => !/checkpoint|session|rate|kysely/i.test(name));
  return Object.fromEntries(tables.map((name) => [name, s.sql(`SELECT * FROM "${name}" ORDER BY 1`)]));
}

describe("hidden albums the server cannot see", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
  }, 120_000);
  afterAll(() => s?.stop());

  it("hiding changes nothing the server stores but the sealed checkpoint, padded; another device sees it", async () => {
    const medical = await alice.client.library.createAlbum("Medical");
    await alice.client.library.createAlbum("Trips");
    const [uploaded] = (await alice.client.upload([photo("scan.jpg", 31).source], hooks)).uploaded;
    await alice.client.library.addToAlbum(uploaded!.fileId, medical.id);
    await alice.client.library.sync();
    const before = tablesBesidesCheckpoint();
    const requestsBefore = s.proxy.seen.length;
    const headBefore = await storedHeadLength(alice);

    await alice.client.library.setAlbumHidden(medical.id, true);

    // The head says nothing either: it is padded to the same 4096 bytes with or without a hidden album.
    expect(headBefore).toBe(4096);
    expect(await storedHeadLength(alice)).toBe(4096);
    expect(alice.client.library.hiddenAlbums().has(medical.id)).toBe(true);
    expect(tablesBesidesCheckpoint()).toEqual(before);
    const sent = s.proxy.seen.slice(requestsBefore);
    expect(sent.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /api/library/checkpoint",
    ]);
    for (const request of sent) expect(request.body.toString("latin1")).not.toContain(medical.id);
    const stored = await alice.client.http.json("/api/library/checkpoint", CheckpointResponse);
    const plainLength = fromBase64Url(stored.checkpoint!).length - ENVELOPE_OVERHEAD;
    expect(padmeLength(plainLength)).toBe(plainLength);

    const other = await alice.newDevice();
    await other.library.sync();
    expect([...other.library.hiddenAlbums()]).toEqual([medical.id]);

    await other.library.setAlbumHidden(medical.id, false);
    await alice.client.library.sync();
    expect(alice.client.library.hiddenAlbums().size).toBe(0);
  });

  it("an older checkpoint served to undo a hide is refused: the album stays hidden", async () => {
    const album = await alice.client.library.createAlbum("Private things");
    await alice.client.library.sync();
    const old = await alice.client.http.json("/api/library/checkpoint", CheckpointResponse);
    await alice.client.library.setAlbumHidden(album.id, true);
    const undo = s.proxy.lie({ method: "GET", path: "/api/library/checkpoint", rewrite: () => old });
    try {
      await alice.client.library.sync();
    } finally {
      undo();
    }
    expect(alice.client.warnings.list.map((w) => w.code)).toContain("SYNC_ROLLBACK");
    expect(alice.client.library.hiddenAlbums().has(album.id)).toBe(true);
  });

  it("a new device reads the hidden albums before its first sync from the checkpoint's sealed head", async () => {
    const album = await alice.client.library.createAlbum("Before the first screen");
    await alice.client.library.setAlbumHidden(album.id, true);
    const from = s.proxy.seen.length;
    // The login sends the head's GET while the password unwraps the master key; the hidden list uses it.
    const other = await alice.newDevice({ prefetchCheckpoint: true });
    const gets = () =>
      s.proxy.seen
        .slice(from)
        .filter((r) => r.method === "GET" && r.path.startsWith("/api/library/checkpoint"))
        .map((r) => r.path);
    expect((await other.library.hiddenAlbumsBeforeSync()).has(album.id)).toBe(true);
    // The head alone (kilobytes): the checkpoint's body (megabytes in a large library) waits for the sync.
    expect(gets()).toEqual([HEAD]);
    await other.library.sync();
    expect(other.library.hiddenAlbums().has(album.id)).toBe(true);
    expect(gets()).toEqual([HEAD, "/api/library/checkpoint"]);
  });

  it("a checkpoint written without a head (an older client): the hidden albums come from its body", async () => {
    const album = await alice.client.library.createAlbum("Written by an older client");
    await alice.client.library.setAlbumHidden(album.id, true);
    s.sql("UPDATE library_checkpoints SET head = NULL");
    const other = await alice.newDevice({ prefetchCheckpoint: true });
    expect((await other.library.hiddenAlbumsBeforeSync()).has(album.id)).toBe(true);
    await alice.client.library.setAlbumHidden(album.id, false);
    expect((await storedHeadLength(alice)) >= 4096).toBe(true);
  });

  it("a head the server alters, replaces with the body, or serves for another counter is refused: TAMPERED", async () => {
    const album = await alice.client.library.createAlbum("Head kept honest");
    await alice.client.library.setAlbumHidden(album.id, true);
    const { counter, checkpoint } = await alice.client.http.json(
      "/api/library/checkpoint",
      CheckpointResponse,
    );
    const { head } = await alice.client.http.json(HEAD, CheckpointHeadResponse);
    for (const answer of [
      { counter, head: checkpoint },
      { counter: counter + 1, head },
    ]) {
      const undo = s.proxy.lie({ method: "GET", path: HEAD, rewrite: () => answer });
      try {
        const other = await alice.newDevice();
        await expect(other.library.checkpoint.loadHidden()).rejects.toMatchObject({ code: "TAMPERED" });
      } finally {
        undo();
      }
    }
  });

  it("an older head served to undo a hide, to a device that saw a newer checkpoint: SYNC_ROLLBACK", async () => {
    const album = await alice.client.library.createAlbum("Hidden since");
    const store = new MemoryStore();
    const device = await alice.newDevice({ storeFor: () => store });
    const old = await device.http.json(HEAD, CheckpointHeadResponse);
    await alice.client.library.setAlbumHidden(album.id, true);
    await device.library.sync();
    expect(device.library.hiddenAlbums().has(album.id)).toBe(true);
    // A later view on the same device (its store kept the counter it saw) asks for the head again.
    for (const answer of [old, { counter: 0, head: null }]) {
      const undo = s.proxy.lie({ method: "GET", path: HEAD, rewrite: () => answer });
      try {
        const again = await alice.newDevice({ storeFor: () => store });
        await expect(again.library.checkpoint.loadHidden()).rejects.toMatchObject({ code: "SYNC_ROLLBACK" });
      } finally {
        undo();
      }
    }
  });

  it("the counter a write's answer names is not taken: the next write still counts from what this device wrote", async () => {
    const album = await alice.client.library.createAlbum("Counted here");
    const before = (await alice.client.http.json(HEAD, CheckpointHeadResponse)).counter;
    const warned = alice.client.warnings.list.length;
    const undo = s.proxy.lie({
      method: "PUT",
      path: "/api/library/checkpoint",
      rewrite: () => ({ counter: 999_999 }),
      times: 1,
    });
    try {
      await alice.client.library.setAlbumHidden(album.id, true);
    } finally {
      undo();
    }
    await alice.client.library.setAlbumHidden(album.id, false);
    const after = await alice.client.http.json(HEAD, CheckpointHeadResponse);
    expect(after.counter).toBe(before + 2);
    expect(alice.client.warnings.list.slice(warned)).toEqual([]);
  });

  it("a checkpoint the server alters is refused before the first sync too: no hidden list is read from it", async () => {
    const album = await alice.client.library.createAlbum("Still private");
    await alice.client.library.setAlbumHidden(album.id, true);
    // Altered from the login's own GET on (the one sent before the master key is unwrapped).
    const undo = flipHeadLie();
    try {
      const other = await alice.newDevice({ prefetchCheckpoint: true });
      await expect(other.library.checkpoint.loadHidden()).rejects.toMatchObject({ code: "TAMPERED" });
      expect((await other.library.hiddenAlbumsBeforeSync()).size).toBe(0);
    } finally {
      undo();
    }
  });

  it("a 304 the server answers to the login's GET (which named no checkpoint) is refused, not read as one", async () => {
    const album = await alice.client.library.createAlbum("Not undone by a 304");
    await alice.client.library.setAlbumHidden(album.id, true);
    const undo = s.proxy.lieRaw({
      method: "GET",
      path: HEAD,
      respond: (answer) => ({ ...answer, status: 304, body: Buffer.alloc(0) }),
      times: 1,
    });
    try {
      const other = await alice.newDevice({ prefetchCheckpoint: true });
      await expect(other.library.checkpoint.loadHidden()).rejects.toBeTruthy();
      expect(other.library.hiddenAlbums().has(album.id)).toBe(false);
      // The next, honest answer is read and checked as any other.
      expect((await other.library.checkpoint.loadHidden())?.has(album.id)).toBe(true);
    } finally {
      undo();
    }
  });

  it("a client that did not ask for it sends no checkpoint GET at login: it reads the newest one when it syncs", async () => {
    const from = s.proxy.seen.length;
    const other = await alice.newDevice();
    expect(
      s.proxy.seen
        .slice(from)
        .filter((r) => r.method === "GET" && r.path.startsWith("/api/library/checkpoint")),
    ).toEqual([]);
    const album = await alice.client.library.createAlbum("After that login");
    await alice.client.library.setAlbumHidden(album.id, true);
    await other.library.sync();
    expect(other.library.hiddenAlbums().has(album.id)).toBe(true);
  });

  it("a deleted album leaves the hidden list", async () => {
    const album = await alice.client.library.createAlbum("Soon gone");
    await alice.client.library.setAlbumHidden(album.id, true);
    await alice.client.library.deleteAlbum(album.id);
    expect(alice.client.library.hiddenAlbums().has(album.id)).toBe(false);
  });
});
