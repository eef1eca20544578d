import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newKdfParams, toBase64Url } from "@umbra/crypto";
import {
  deriveLinkKeys,
  generateIdentity,
  generateLinkSecret,
  signFileRecord,
  signPublicKeyBundle,
  wrapKeyForLink,
} from "@umbra/crypto/sharing";
import { LinksResponse } from "@umbra/protocol";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UmbraClient } from "../src/client.js";
import { KeyChangedError } from "../src/contacts.js";
import { linkUrl } from "../src/link-url.js";
import { PublicLink } from "../src/public-link.js";
import { startServer } from "./server-process.js";
import { collect, hooks, photo } from "./upload-fixtures.js";

let server: Awaited<ReturnType<typeof startServer>>;
// In a folder that does not exist yet: the server creates it.
const logFile = join(tmpdir(), `umbra-logs-${process.pid}`, "sharing.log");

async function account(email: string): Promise<UmbraClient> {
  const client = new UmbraClient({ serverUrl: server.url });
  await client.signup(email, `${email} password`);
  return client;
}

function db() {
  return new Database(join(server.dataDir, "umbra.sqlite"));
}

let alice: UmbraClient;
let bob: UmbraClient;
let carol: UmbraClient;
let albumId: string;
let alicePhotoId: string;
const alicePhoto = photo("alice-beach.jpg", 7);
const bobPhoto = photo("bob-sunset.jpg", 11);

describe("sharing between accounts against a real server", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    server = await startServer({ UMBRA_LOG_FILE: logFile, UMBRA_LOG_LEVEL: "info" });
    alice = await account("alice@example.com");
    bob = await account("bob@example.com");
    carol = await account("carol@example.com");
    albumId = (await alice.library.createAlbum("Summer trip")).id;
    const summary = await alice.upload([alicePhoto.source], hooks, { albumId });
    alicePhotoId = summary.uploaded[0]!.fileId;
  }, 180_000);
  afterAll(() => server?.stop(), 60_000);

  it("Alice shares with Bob, who sees and downloads identical bytes; Carol gets 404", async () => {
    await alice.sharing.share(albumId, "bob@example.com", "viewer");
    const { albums } = await bob.sharing.sharedWithMe();
    expect(albums).toMatchObject([
      { id: albumId, name: "Summer trip", ownerEmail: "alice@example.com", role: "viewer" },
    ]);
    const { files, rejected } = await bob.sharedFiles.list(albumId);
    expect(rejected).toEqual([]);
    expect(files.map((f) => f.metadata.name)).toEqual(["alice-beach.jpg"]);
    const { stream } = await bob.sharedFiles.download(albumId, alicePhotoId);
    expect((await collect(stream)).equals(Buffer.from(alicePhoto.bytes))).toBe(true);
    expect(await bob.sharedFiles.thumbnail(albumId, alicePhotoId, "grid")).toEqual(new Uint8Array([1, 2]));

    for (const path of [`/api/albums/${albumId}/files`, `/api/files/${alicePhotoId}/content`]) {
      const response = await carol.http.send(path);
      expect(response.status).toBe(404);
    }
    await expect(carol.sharedFiles.list(albumId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a viewer cannot add; as contributor Bob adds a photo Alice then sees, and removes only his own", async () => {
    await expect(bob.upload([bobPhoto.source], hooks, { albumId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await alice.sharing.share(albumId, "bob@example.com", "contributor");
    const summary = await bob.upload([bobPhoto.source], hooks, { albumId });
    const bobFileId = (summary.uploaded[0] ?? { fileId: summary.skipped[0]!.existingId }).fileId;
    const { files, rejected } = await alice.sharedFiles.list(albumId);
    expect(rejected).toEqual([]);
    expect(files.map((f) => f.metadata.name).sort()).toEqual(["alice-beach.jpg", "bob-sunset.jpg"]);
    const { stream } = await alice.sharedFiles.download(albumId, bobFileId);
    expect((await collect(stream)).equals(Buffer.from(bobPhoto.bytes))).toBe(true);

    await expect(bob.sharedFiles.remove(albumId, alicePhotoId)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await bob.sharedFiles.remove(albumId, bobFileId);
    expect((await alice.sharedFiles.list(albumId)).files.map((f) => f.id)).toEqual([alicePhotoId]);
    // Bob's own library keeps his photo.
    await bob.library.sync();
    expect((await bob.library.files()).map((f) => f.id)).toContain(bobFileId);
  });

  it("rejects file records the server injects, unsigned or signed by a non-member", async () => {
    const carolPhoto = (await carol.upload([photo("carol.jpg", 13).source], hooks)).uploaded[0]!.fileId;
    const carolRecord = (await carol.library.file(carolPhoto)).record;
    const carolIdentity = await carol.sharing.safetyNumber("alice@example.com").then(() => undefined);
    expect(carolIdentity).toBeUndefined();
    const carolUserId = carol.session!.userId;
    const wrappedFileKey = carolRecord.albums[0]!.wrappedFileKey;
    const contentDigest = "A".repeat(43);
    // Carol's real key signs, but Carol is no member; the server slips the record in.
    const forger = await generateIdentity();
    const signature = await signFileRecord(forger.signing.privateKey, {
      fileId: carolPhoto,
      albumId,
      wrappedFileKey,
      contentDigest,
      uploaderUserId: carolUserId,
    });
    const alicesOther = (await alice.upload([photo("private.jpg", 17).source], hooks)).uploaded[0]!.fileId;
    const aliceRecord = (await alice.library.file(alicesOther)).record;
    const conn = db();
    const insert = conn.prepare(
      "insert into album_files (album_id, file_id, user_id, wrapped_file_key, added_seq, key_version, content_digest, signature) values (?, ?, ?, ?, 999, 1, ?, ?)",
    );
    insert.run(albumId, carolPhoto, carolUserId, wrappedFileKey, contentDigest, signature);
    insert.run(
      albumId,
      alicesOther,
      alice.session!.userId,
      aliceRecord.albums[0]!.wrappedFileKey,
      null,
      null,
    );
    conn.close();

    const { files, rejected } = await bob.sharedFiles.list(albumId);
    expect(files.map((f) => f.id)).toEqual([alicePhotoId]);
    expect(rejected.map((r) => r.id).sort()).toEqual([alicesOther, carolPhoto].sort());
    expect(rejected.find((r) => r.id === carolPhoto)!.reason).toMatch(/may not add/);
    expect(rejected.find((r) => r.id === alicesOther)!.reason).toMatch(/no uploader signature/);
    await expect(bob.sharedFiles.download(albumId, alicesOther)).rejects.toMatchObject({ code: "TAMPERED" });

    const cleanup = db();
    cleanup.prepare("delete from album_files where album_id = ? and added_seq = 999").run(albumId);
    cleanup.close();
  });

  it("detects a server that substitutes Bob's public key before sealing anything to it", async () => {
    const second = (await alice.library.createAlbum("Second")).id;
    const bobId = bob.session!.userId;
    const before = await alice.sharing.safetyNumber("bob@example.com");
    const fake = await generateIdentity();
    const conn = db();
    const row = conn.prepare("select key_bundle from users where id = ?").get(bobId) as {
      key_bundle: string;
    };
    const original = row.key_bundle;
    const bundle = JSON.parse(original);
    bundle.publicKeys = await signPublicKeyBundle(fake, bobId);
    conn.prepare("update users set key_bundle = ? where id = ?").run(JSON.stringify(bundle), bobId);
    conn.close();

    await expect(alice.sharing.safetyNumber("bob@example.com")).rejects.toMatchObject({
      code: "KEY_CHANGED",
    });
    // The number for the keys now presented can be shown (to compare), and differs.
    expect((await alice.sharing.safetyNumber("bob@example.com", { unpinned: true })).digits).not.toBe(
      before.digits,
    );
    const attempt = alice.sharing.share(second, "bob@example.com", "viewer");
    await expect(attempt).rejects.toBeInstanceOf(KeyChangedError);
    await expect(attempt).rejects.toMatchObject({ code: "KEY_CHANGED" });
    expect((await alice.sharing.members(second)).members).toEqual([]);

    const restore = db();
    restore.prepare("update users set key_bundle = ? where id = ?").run(original, bobId);
    restore.close();
    // The same pinned keys are back: sharing works again, and the safety numbers agree on both sides.
    const mine = await alice.sharing.safetyNumber("bob@example.com");
    const theirs = await bob.sharing.safetyNumber("alice@example.com");
    expect(mine.digits).toBe(theirs.digits);
    expect(mine.digits).toMatch(/^(\d{5} ){11}\d{5}$/);
  });

  it("removing Bob rotates the key: he cannot decrypt anything added afterwards", async () => {
    await bob.sharedFiles.list(albumId);
    const bobsOldKey = bob.library.keyRing.peek(albumId, 1);
    expect(bobsOldKey).toBeInstanceOf(Uint8Array);
    await alice.sharing.removeMembers(albumId, ["bob@example.com"]);
    const later = photo("after-removal.jpg", 19);
    const laterId = (await alice.upload([later.source], hooks, { albumId })).uploaded[0]!.fileId;

    expect((await bob.sharing.sharedWithMe()).albums).toEqual([]);
    expect((await bob.http.send(`/api/albums/${albumId}/files`)).status).toBe(404);
    expect((await bob.http.send(`/api/files/${laterId}/content`)).status).toBe(404);
    // Even given the new record, Bob's old key does not open its file key.
    const { files } = await alice.sharedFiles.list(albumId);
    const record = files.find((f) => f.id === laterId)!.record;
    expect(record.keyVersion).toBe(2);
    const { unwrapFileKey, fromBase64Url } = await import("@umbra/crypto");
    await expect(
      unwrapFileKey(bobsOldKey!, fromBase64Url(record.wrappedFileKey), albumId, laterId),
    ).rejects.toMatchObject({ code: "TAMPERED" });
    // Alice still reads everything, old key version included.
    expect(files.map((f) => f.metadata.name).sort()).toEqual(["after-removal.jpg", "alice-beach.jpg"]);
    const { stream } = await alice.download(alicePhotoId);
    expect((await collect(stream)).equals(Buffer.from(alicePhoto.bytes))).toBe(true);
  });

  it("a member can leave an album", async () => {
    await alice.sharing.share(albumId, "carol@example.com", "viewer");
    expect((await carol.sharing.sharedWithMe()).albums.map((a) => a.id)).toEqual([albumId]);
    // Added later from Alice's library with the plain album API: the SDK signs the placement.
    const extra = (await alice.upload([photo("added-later.jpg", 23).source], hooks)).uploaded[0]!.fileId;
    await alice.library.addToAlbum(extra, albumId);
    const { files, rejected } = await carol.sharedFiles.list(albumId);
    expect(rejected).toEqual([]);
    expect(files).toHaveLength(3);
    await carol.sharing.leave(albumId);
    expect((await carol.sharing.sharedWithMe()).albums).toEqual([]);
    expect((await alice.sharing.members(albumId)).members).toEqual([]);
  });

  it("public links open without an account; passwords, expiry, revocation and no-download hold", async () => {
    const open = await alice.links.create({ albumId });
    const anonymous = await PublicLink.open(open.url);
    expect(anonymous.albumName).toBe("Summer trip");
    expect(anonymous.files.map((f) => f.metadata.name).sort()).toEqual([
      "added-later.jpg",
      "after-removal.jpg",
      "alice-beach.jpg",
    ]);
    const { stream } = await anonymous.download(alicePhotoId);
    expect((await collect(stream)).equals(Buffer.from(alicePhoto.bytes))).toBe(true);

    const guarded = await alice.links.create(
      { fileId: alicePhotoId },
      { password: "link pass", allowDownload: false },
    );
    // New password links use link password format v2 (Argon2id, SPEC §18).
    expect(guarded.record.kdf).toMatchObject({
      v: 2,
      algorithm: "argon2id",
      memoryKiB: 65_536,
      iterations: 3,
    });
    await expect(PublicLink.open(guarded.url)).rejects.toMatchObject({ code: "PASSWORD_REQUIRED" });
    await expect(PublicLink.open(guarded.url, { password: "wrong" })).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
    });
    const single = await PublicLink.open(guarded.url, { password: "link pass" });
    expect(single.files.map((f) => f.metadata.name)).toEqual(["alice-beach.jpg"]);
    expect(await single.thumbnail(alicePhotoId, "preview")).toEqual(new Uint8Array([3, 4]));
    await expect(single.download(alicePhotoId)).rejects.toMatchObject({ code: "FORBIDDEN" });

    const brief = await alice.links.create({ albumId }, { expiresAt: new Date(Date.now() + 1500) });
    await PublicLink.open(brief.url);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    await expect(PublicLink.open(brief.url)).rejects.toMatchObject({ code: "GONE", status: 410 });

    await alice.links.revoke(open.url);
    await expect(PublicLink.open(open.url)).rejects.toMatchObject({ code: "GONE", status: 410 });
    const response = await fetch(
      `${server.url}/api/public/links/${open.linkId}/files/${alicePhotoId}/content`,
    );
    expect(response.status).toBe(410);

    // The secrets (URL fragments) never reached the server: scan its database, blobs and log.
    const secrets = [open, guarded, brief].map((l) => new URL(l.url).hash.slice(1));
    const haystacks: Buffer[] = [await readFile(logFile)];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else haystacks.push(await readFile(path));
      }
    };
    await walk(server.dataDir);
    expect(haystacks.length).toBeGreaterThan(3);
    const log = haystacks[0]!.toString();
    expect(log).toContain("/api/public/links/:id");
    for (const secret of secrets) {
      for (const hay of haystacks) expect(hay.includes(secret)).toBe(false);
    }
    expect(toBase64Url(new Uint8Array([1]))).toBe("AQ");
  });

  it("a password link made before Argon2id (PBKDF2, link password format v1) still opens", async () => {
    // What the client wrote before v2: the file key wrapped under HKDF(linkKey ‖ PBKDF2(password)), kdf = KdfParams.
    const secret = generateLinkSecret();
    const { linkId, linkKey } = await deriveLinkKeys(secret);
    const { record } = await alice.library.file(alicePhotoId);
    const password = { password: "old link pass", kdf: newKdfParams() };
    const target = { purpose: "link-file-key" as const, linkId, objectId: alicePhotoId };
    const wrapped = await wrapKeyForLink(linkKey, await alice.library.fileKey(record), target, password);
    const created = await alice.http.json("/api/links", LinksResponse.shape.links.element, {
      body: {
        id: linkId,
        kind: "file",
        targetId: alicePhotoId,
        wrappedKey: toBase64Url(wrapped),
        keyVersion: 1,
        kdf: password.kdf,
        expiresAt: null,
        allowDownload: true,
      },
    });
    expect(created.kdf).toEqual(password.kdf);
    const url = linkUrl(server.url, secret);
    await expect(PublicLink.open(url)).rejects.toMatchObject({ code: "PASSWORD_REQUIRED" });
    await expect(PublicLink.open(url, { password: "wrong" })).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
    });
    const old = await PublicLink.open(url, { password: "old link pass" });
    expect(old.files.map((f) => f.metadata.name)).toEqual(["alice-beach.jpg"]);
    const { stream } = await old.download(alicePhotoId);
    expect((await collect(stream)).equals(Buffer.from(alicePhoto.bytes))).toBe(true);
  });
});
