import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fromBase64Url, toBase64Url, UmbraCryptoError } from "@umbra/crypto";
import { deriveLinkKeys } from "@umbra/crypto/sharing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PublicLink } from "../../src/public-link.js";
import { refusal } from "../refusal.js";
import {
  type Account,
  collect,
  hooks,
  type MaliciousServer,
  photo,
  startMaliciousServer,
  taggedFetch,
} from "./harness.js";

/**
 * Public links (SPEC §18): the secret after '#' and the link password stay on the visitor's side. Nothing the
 * proxy sees (paths, headers, bodies), nothing the server logs and nothing it stores holds them or the link key.
 * And a link answer whose wrapped key was tampered with is refused with a typed code.
 */

const logFile = join(tmpdir(), `umbra-malicious-${process.pid}`, "link-secret.log");
const PASSWORD = "tangerine lighthouse 7";
const WRONG = "tangerine lighthouse 8";
const beach = photo("beach.jpg", 29);

let server: MaliciousServer;
let alice: Account;
let albumId: string;
let otherAlbumId: string;
let fileId: string;
let open: { url: string; linkId: string };
let second: { url: string; linkId: string };
let guarded: { url: string; linkId: string };
let fileLink: { url: string; linkId: string };

// The secret is what precedes the owner tag (SPEC §18); the tag is public (a digest of a public key).
const secretOf = (url: string) => new URL(url).hash.slice(1).split(".")[0]!;

/** Every byte string that must never leave the visitor: secrets (text and raw), link keys, passwords. */
async function forbidden(): Promise<{ what: string; bytes: Buffer }[]> {
  const out: { what: string; bytes: Buffer }[] = [];
  for (const link of [open, second, guarded, fileLink]) {
    const secret = secretOf(link.url);
    const { linkKey } = await deriveLinkKeys(secret);
    out.push({ what: `secret of ${link.linkId}`, bytes: Buffer.from(secret) });
    out.push({ what: `raw secret of ${link.linkId}`, bytes: Buffer.from(fromBase64Url(secret)) });
    out.push({ what: `link key of ${link.linkId}`, bytes: Buffer.from(toBase64Url(linkKey)) });
    out.push({ what: `raw link key of ${link.linkId}`, bytes: Buffer.from(linkKey) });
  }
  for (const password of [PASSWORD, WRONG]) out.push({ what: password, bytes: Buffer.from(password) });
  return out;
}

async function filesUnder(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push({ path, bytes: await readFile(path) });
  }
  return out;
}

function expectCode(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(UmbraCryptoError);
  expect(error).toMatchObject({ code });
}

/** Rewrites the public answer of one link. */
// biome-ignore lint/suspicious/noExplicitAny: the wire answer as the server sends it
function lieAboutLink(linkId: string, rewrite: (answer: any) => unknown): void {
  server.proxy.lie({ method: "GET", path: `/api/public/links/${linkId}`, rewrite });
}

/** The real public answer of a link, straight from the server. */
// biome-ignore lint/suspicious/noExplicitAny: the wire answer as the server sends it
async function realAnswer(linkId: string): Promise<any> {
  return (await fetch(`${server.realUrl}/api/public/links/${linkId}`)).json();
}

/** One flipped bit inside a base64url envelope (past its version byte). */
function flipped(b64: string): string {
  const bytes = fromBase64Url(b64);
  bytes[20]! ^= 0x01;
  return toBase64Url(bytes);
}

describe("malicious server: link secrets never reach it, tampered link keys are refused", {
  timeout: 90_000,
}, () => {
  beforeAll(async () => {
    server = await startMaliciousServer({ UMBRA_LOG_FILE: logFile, UMBRA_LOG_LEVEL: "info" });
    alice = await server.account("alice-links@example.com");
    albumId = (await alice.client.library.createAlbum("Coast")).id;
    otherAlbumId = (await alice.client.library.createAlbum("Elsewhere")).id;
    fileId = (await alice.client.upload([beach.source], hooks, { albumId })).uploaded[0]!.fileId;
    // Loads the album key into the SDK's key ring: creating a link to a never-shared album with files needs it
    // (see the last test).
    await alice.client.sharing.ownAlbumKey(albumId);
    open = await alice.client.links.create({ albumId });
    second = await alice.client.links.create({ albumId });
    guarded = await alice.client.links.create({ albumId }, { password: PASSWORD });
    fileLink = await alice.client.links.create({ fileId }, { password: PASSWORD });
  }, 120_000);

  afterEach(() => server.proxy.truthful());

  afterAll(async () => {
    await server?.stop();
    await rm(dirname(logFile), { recursive: true, force: true });
  }, 60_000);

  it("opening links (with and without password) sends no secret, link key or password anywhere", async () => {
    const fetch = taggedFetch("visitor");
    const visitor = await PublicLink.open(open.url, { fetch });
    expect(visitor.albumName).toBe("Coast");
    expect(visitor.files.map((f) => f.metadata.name)).toEqual(["beach.jpg"]);
    expect((await collect((await visitor.download(fileId)).stream)).equals(Buffer.from(beach.bytes))).toBe(
      true,
    );
    expect(await visitor.thumbnail(fileId, "grid")).toEqual(new Uint8Array([1, 2]));

    expect(await refusal(PublicLink.open(guarded.url, { fetch }))).toMatchObject({
      code: "PASSWORD_REQUIRED",
    });
    expectCode(await refusal(PublicLink.open(guarded.url, { fetch, password: WRONG })), "WRONG_PASSWORD");
    const withPassword = await PublicLink.open(guarded.url, { fetch, password: PASSWORD });
    expect(withPassword.files.map((f) => f.id)).toEqual([fileId]);
    const single = await PublicLink.open(fileLink.url, { fetch, password: PASSWORD });
    expect((await collect((await single.download(fileId)).stream)).equals(Buffer.from(beach.bytes))).toBe(
      true,
    );
    expect(await single.thumbnail(fileId, "preview")).toEqual(new Uint8Array([3, 4]));

    // The visitor's requests went through the proxy, by link id only.
    const visits = server.proxy.seen.filter((r) => r.headers["x-umbra-test-client"] === "visitor");
    expect(visits.length).toBeGreaterThanOrEqual(9);
    expect(visits.some((r) => r.path.includes(guarded.linkId))).toBe(true);

    // Every request anyone made (Alice creating the links included): path, headers and body.
    const requests = server.proxy.seen.map((r) => ({
      what: `${r.method} ${r.path}`,
      bytes: Buffer.concat([Buffer.from(`${r.path}\n${JSON.stringify(r.headers)}\n`), r.body]),
    }));
    expect(requests.some((r) => r.what === "POST /api/links")).toBe(true);
    // The server's log, once it holds both thumbnail requests, the last ones (pino writes asynchronously).
    const thumbnailLine = '"route":"/api/public/links/:id/files/:fileId/thumbnails/:variant"';
    let log = "";
    while (log.split(thumbnailLine).length - 1 < 2) {
      log = await readFile(logFile, "utf8").catch(() => "");
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stored = await filesUnder(server.dataDir);
    expect(stored.some((f) => f.path.endsWith("umbra.sqlite"))).toBe(true);
    const haystacks = [
      ...requests,
      { what: "log", bytes: Buffer.from(log) },
      ...stored.map((f) => ({ what: f.path, bytes: f.bytes })),
    ];
    const leaks: string[] = [];
    for (const needle of await forbidden()) {
      for (const hay of haystacks)
        if (hay.bytes.includes(needle.bytes)) leaks.push(`${needle.what} in ${hay.what}`);
    }
    expect(leaks).toEqual([]);
    // The scan can find things: the link ids are in the database and the requests.
    expect(stored.some((f) => f.bytes.includes(Buffer.from(open.linkId)))).toBe(true);
  });

  it("a flipped bit in the wrapped key → TAMPERED (no password) or WRONG_PASSWORD (password link)", async () => {
    lieAboutLink(open.linkId, (answer) => ({ ...answer, wrappedKey: flipped(answer.wrappedKey) }));
    expectCode(await refusal(PublicLink.open(open.url)), "TAMPERED");
    lieAboutLink(guarded.linkId, (answer) => ({ ...answer, wrappedKey: flipped(answer.wrappedKey) }));
    expectCode(await refusal(PublicLink.open(guarded.url, { password: PASSWORD })), "WRONG_PASSWORD");
    lieAboutLink(fileLink.linkId, (answer) => ({ ...answer, wrappedKey: flipped(answer.wrappedKey) }));
    expectCode(await refusal(PublicLink.open(fileLink.url, { password: PASSWORD })), "WRONG_PASSWORD");
  });

  it("another link's wrapped key of the same album → TAMPERED", async () => {
    const { wrappedKey } = await realAnswer(second.linkId);
    lieAboutLink(open.linkId, (answer) => ({ ...answer, wrappedKey }));
    expectCode(await refusal(PublicLink.open(open.url)), "TAMPERED");
  });

  it("a password link served as one without a password → TAMPERED", async () => {
    lieAboutLink(guarded.linkId, (answer) => ({ ...answer, kdf: null }));
    expectCode(await refusal(PublicLink.open(guarded.url)), "TAMPERED");
  });

  it("the link pointed at another album of the owner → TAMPERED", async () => {
    lieAboutLink(open.linkId, (answer) => ({ ...answer, targetId: otherAlbumId }));
    expectCode(await refusal(PublicLink.open(open.url)), "TAMPERED");
  });

  it("a link to an album that was never shared, with a file in it, can be created and opened", async () => {
    // Fresh device state: nothing has loaded this album's key into the SDK's key ring before links.create.
    const device = await alice.newDevice();
    const fresh = (await device.library.createAlbum("Never shared")).id;
    await device.library.addToAlbum(fileId, fresh);
    const link = await device.links.create({ albumId: fresh });
    const visitor = await PublicLink.open(link.url);
    expect(visitor.files.map((f) => f.id)).toEqual([fileId]);
  });

  it("the untampered links still open (the refusals came from the lies)", async () => {
    expect((await PublicLink.open(open.url)).albumName).toBe("Coast");
    expect((await PublicLink.open(guarded.url, { password: PASSWORD })).files).toHaveLength(1);
  });
});
