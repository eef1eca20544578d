import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { contentDigest } from "@umbra/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UmbraClient } from "../src/client.js";
import type { MediaHooks, UploadSource } from "../src/metadata.js";
import { MemoryStore } from "../src/store.js";
import { pullChanges } from "../src/sync-cache.js";
import { startServer } from "./server-process.js";

let server: Awaited<ReturnType<typeof startServer>>;
const EMAIL = "sdk@example.com";
const PASSWORD = "sdk password one";

const hooks: MediaHooks = {
  async extract() {
    return {
      info: { takenAt: "2024-04-05T06:07:08.000Z" },
      thumbnails: { grid: new Uint8Array([1, 2]), preview: new Uint8Array([3]) },
    };
  },
};

function source(name: string, bytes: Uint8Array): UploadSource {
  return {
    name,
    size: bytes.length,
    mime: "image/jpeg",
    localKey: name,
    open: () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(),
  };
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const big = Uint8Array.from({ length: 3 * 1024 * 1024 + 123 }, (_, i) => (i * 13 + (i >> 10)) % 256);
let phrase: string;

describe("UmbraClient against a real server", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    server = await startServer();
  }, 180_000);
  afterAll(() => server?.stop(), 60_000);

  it("signs up, uploads, skips a duplicate, downloads whole and by range", async () => {
    const client = new UmbraClient({ serverUrl: server.url });
    phrase = (await client.signup(EMAIL, PASSWORD)).recoveryPhrase;
    // A source may compute its own keyed digest (the web app does, in a worker): used as given, it finds
    // the copy; one that is not a digest at all fails that file.
    const digestedKeys: Uint8Array[] = [];
    const again: UploadSource = {
      ...source("again.jpg", big),
      digest: async (key) => {
        digestedKeys.push(key);
        return contentDigest(key, big);
      },
    };
    const broken: UploadSource = { ...source("broken.jpg", big.subarray(1)), digest: async () => "nope" };
    const summary = await client.upload([source("big.jpg", big), again, broken], hooks, { jobs: 1 });
    expect(summary.uploaded).toHaveLength(1);
    expect(summary.skipped.map((s) => s.source.name)).toEqual(["again.jpg"]);
    expect(digestedKeys).toHaveLength(1);
    expect(summary.failed.map((f) => [f.source.name, (f.error as { code?: string }).code])).toEqual([
      ["broken.jpg", "INVALID_INPUT"],
    ]);
    const id = summary.uploaded[0]!.fileId;
    const { stream, entry } = await client.download(id);
    expect(entry.metadata).toMatchObject({
      name: "big.jpg",
      size: big.length,
      takenAt: "2024-04-05T06:07:08.000Z",
    });
    expect(Buffer.from(await collect(stream)).equals(Buffer.from(big))).toBe(true);
    const start = 1024 * 1024 - 10;
    const part = await client.downloadRange(id, start, start + 2 * 1024 * 1024);
    expect(Buffer.from(part).equals(Buffer.from(big.subarray(start, start + 2 * 1024 * 1024 + 1)))).toBe(
      true,
    );
    expect([...(await client.thumbnail(id, "grid"))]).toEqual([1, 2]);
  });

  it("manages albums, moves, renames, trashes and restores", async () => {
    const client = new UmbraClient({ serverUrl: server.url });
    await client.login(EMAIL, PASSWORD);
    const lib = client.library;
    const [file] = await lib.files();
    const trip = await lib.createAlbum("Trip");
    const libraryId = await lib.libraryAlbumId();
    await lib.moveFile(file!.id, libraryId, trip.id);
    expect((await lib.file(file!.id)).albumIds).toEqual([trip.id]);
    await lib.renameAlbum(trip.id, "Trip 2024");
    await lib.renameFile(file!.id, "renamed.jpg");
    await lib.sync();
    expect((await lib.albums()).map((a) => a.name)).toEqual(["Library", "Trip 2024"]);
    expect((await lib.file(file!.id)).metadata.name).toBe("renamed.jpg");
    await lib.trash(file!.id);
    expect(await lib.files({ trashed: false })).toHaveLength(0);
    await lib.restore(file!.id);
    expect(await lib.files({ trashed: false })).toHaveLength(1);
    // A second device sees the same state through sync.
    const other = new UmbraClient({ serverUrl: server.url });
    await other.login(EMAIL, PASSWORD);
    expect((await other.library.files()).map((f) => f.metadata.name)).toEqual(["renamed.jpg"]);
  });

  it("edits a file's date, time zone, description, rotation and archived state in place", async () => {
    const client = new UmbraClient({ serverUrl: server.url });
    await client.login(EMAIL, PASSWORD);
    const lib = client.library;
    const [file] = await lib.files();
    const before = await lib.file(file!.id);
    await lib.updateMetadata(file!.id, {
      takenAt: "2021-07-14T10:30:00+02:00",
      timeZone: "Europe/Paris",
      description: "Fireworks over the river",
      rotation: 90,
      archived: true,
    });
    // Another device reads the edit through sync; the content and the other fields are untouched.
    const other = new UmbraClient({ serverUrl: server.url });
    await other.login(EMAIL, PASSWORD);
    const seen = await other.library.file(file!.id);
    expect(seen.metadata).toMatchObject({
      name: before.metadata.name,
      size: before.metadata.size,
      takenAt: "2021-07-14T10:30:00+02:00",
      timeZone: "Europe/Paris",
      description: "Fireworks over the river",
      rotation: 90,
      archived: true,
    });
    expect(seen.record.contentSize).toBe(before.record.contentSize);
    // A field set to undefined is removed; an invalid value is refused before anything is sent.
    await lib.updateMetadata(file!.id, { archived: undefined, rotation: 0 });
    expect((await lib.file(file!.id)).metadata.archived).toBeUndefined();
    await expect(lib.updateMetadata(file!.id, { rotation: 45 })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(lib.updateMetadata(file!.id, { takenAt: "not a date" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    // The checkpoint vouches for the edit: no LIBRARY_MISMATCH on a fresh device.
    const third = new UmbraClient({ serverUrl: server.url });
    await third.login(EMAIL, PASSWORD);
    await third.library.sync();
    expect(third.warnings.list.filter((w) => w.code === "LIBRARY_MISMATCH")).toEqual([]);
  });

  it("changes the password, recovers with the phrase, and manages sessions", async () => {
    const client = new UmbraClient({ serverUrl: server.url });
    await client.login(EMAIL, PASSWORD);
    await client.changePassword("sdk password two");
    await expect(new UmbraClient({ serverUrl: server.url }).login(EMAIL, PASSWORD)).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
    });
    const recovering = new UmbraClient({ serverUrl: server.url });
    await recovering.recover(EMAIL, phrase, "sdk password three");
    await recovering.login(EMAIL, "sdk password three");
    const second = new UmbraClient({ serverUrl: server.url });
    await second.login(EMAIL, "sdk password three");
    expect((await recovering.listSessions()).length).toBe(2);
    expect(await recovering.revokeOtherSessions()).toBe(1);
    await expect(second.listSessions()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await recovering.library.files()).length).toBe(1);
    await recovering.logout();
  });

  it("deleting an album trashes its only-here files and keeps them decryptable", async () => {
    const client = new UmbraClient({ serverUrl: server.url });
    await client.login(EMAIL, "sdk password three");
    const album = await client.library.createAlbum("Short-lived");
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);
    const { uploaded } = await client.upload([source("only-here.jpg", bytes)], hooks, { albumId: album.id });
    const id = uploaded[0]!.fileId;
    await client.library.deleteAlbum(album.id);
    const trashed = await client.library.files({ trashed: true });
    expect(trashed.map((f) => f.id)).toContain(id);
    await client.library.restore(id);
    const { stream } = await client.download(id);
    expect(Buffer.from(await collect(stream)).equals(Buffer.from(bytes))).toBe(true);
  });

  it("pulls changes page by page, with a smaller first page, telling the listener about each", async () => {
    const client = new UmbraClient({ serverUrl: server.url });
    await client.login(EMAIL, "sdk password three");
    const full = await client.library.sync();
    const events: string[] = [];
    const state = await pullChanges(client.http, new MemoryStore(), 2, {
      firstLimit: 1,
      onPage: async (_state, page) => {
        events.push(page === null ? "cache" : `page:${page.files.length + page.albums.length}`);
      },
    });
    expect(events.slice(0, 2)).toEqual(["cache", "page:1"]);
    expect(events.length).toBeGreaterThan(2);
    expect(events.slice(2, -1).every((e) => e === "page:2")).toBe(true);
    expect(Object.keys(state.files).sort()).toEqual(Object.keys(full.files).sort());
    expect(Object.keys(state.albums).sort()).toEqual(Object.keys(full.albums).sort());
  });

  it("discards a cancelled upload: the server's partial upload and the local resume state are gone", async () => {
    const client = new UmbraClient({ serverUrl: server.url });
    await client.login(EMAIL, "sdk password three");
    const size = 24 * 1024 * 1024;
    const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7 + (i >> 12)) % 256);
    const controller = new AbortController();
    let opens = 0;
    const slow: UploadSource = {
      ...source("cancel-me.jpg", bytes),
      open: () => {
        const pass = ++opens;
        let offset = 0;
        return new ReadableStream<Uint8Array>({
          async pull(c) {
            if (offset >= size) return c.close();
            // Second pass (encryption): cancel once part of the file is on the server.
            if (pass === 2 && offset >= 12 * 1024 * 1024) {
              await new Promise((r) => setTimeout(r, 300));
              controller.abort();
            }
            c.enqueue(bytes.subarray(offset, offset + 1024 * 1024));
            offset += 1024 * 1024;
          },
        });
      },
    };
    await client
      .upload([slow], hooks, { chunkSize: 1024 * 1024, signal: controller.signal })
      .catch(() => undefined);
    const uploads = join(server.dataDir, "uploads");
    const partial = (await readdir(uploads)).filter((f) => !f.endsWith(".json"));
    expect(partial.length).toBe(1);
    expect(await client.discardUpload(slow)).toBe(1);
    expect((await readdir(uploads)).filter((f) => !f.endsWith(".json"))).toEqual([]);
    // Nothing left to resume: a new attempt starts from the beginning.
    const events: string[] = [];
    opens = 10;
    await client.upload([source("cancel-me.jpg", bytes)], hooks, { onEvent: (e) => events.push(e.type) });
    expect(events).not.toContain("resumed");
    expect(events).toContain("uploaded");
  });

  it("reveals the recovery phrase again after the password, even after a password change and a recovery", async () => {
    const client = new UmbraClient({ serverUrl: server.url });
    await client.login(EMAIL, "sdk password three");
    expect(await client.revealRecoveryPhrase("sdk password three")).toBe(phrase);
    await expect(client.revealRecoveryPhrase("not my password")).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
    });
  });

  it("keeps a vault unlocked across a reload with an exported master key, and refuses a wrong one", async () => {
    const first = new UmbraClient({ serverUrl: server.url });
    const session = await first.login(EMAIL, "sdk password three");
    const saved = first.exportMasterKey();
    const reloaded = new UmbraClient({ serverUrl: server.url });
    reloaded.useSession(session);
    await reloaded.unlockWithMasterKey(saved);
    expect((await reloaded.library.files()).length).toBe((await first.library.files()).length);
    const stranger = new UmbraClient({ serverUrl: server.url });
    stranger.useSession(session);
    await expect(stranger.unlockWithMasterKey(new Uint8Array(32).fill(7))).rejects.toMatchObject({
      code: "TAMPERED",
    });
    expect(stranger.isUnlocked).toBe(false);
  });
});
