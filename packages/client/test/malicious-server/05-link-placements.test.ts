import { toBase64Url } from "@umbra/crypto";
import {
  deriveLinkKeys,
  generateIdentity,
  sealLinkOwner,
  signFileRecord,
  signLinkRoster,
} from "@umbra/crypto/sharing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wrapFileKeyFor } from "../../src/keys.js";
import { parseLinkUrl } from "../../src/link-url.js";
import { PublicLink } from "../../src/public-link.js";
import { type Account, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

// Scenario 5: a viewer (or a removed member) plus the server add a file that anonymous link visitors would see.
let s: MaliciousServer;
let alice: Account;
let bob: Account;
let carol: Account;
let albumId: string;
let linkUrl: string;

/**
 * Bob, a viewer, holds the album key: he wraps his own file's key under it (so visitors could open it) and, when
 * `signed`, signs the placement with his real key, as a contributor's client would. The server stores it.
 */
async function bobInjects(name: string, seed: number, signed: boolean): Promise<string> {
  const fileId = (await bob.client.upload([photo(name, seed).source], hooks)).uploaded[0]!.fileId;
  const { record } = await bob.client.library.file(fileId);
  const fileKey = await bob.client.library.fileKey(record);
  const { keyVersion } = await bob.client.sharing.access(albumId);
  const albumKey = await bob.client.library.keyRing.get(albumId, keyVersion);
  const wrappedFileKey = await wrapFileKeyFor(albumKey, albumId, fileId, fileKey);
  const contentDigest = "A".repeat(43);
  // biome-ignore lint/suspicious/noExplicitAny: Bob's own private identity, as his own client holds it
  const identity = await (bob.client.sharing as any).deps.identity();
  const signature = signed
    ? await signFileRecord(identity.signing.privateKey, {
        fileId,
        albumId,
        wrappedFileKey,
        contentDigest,
        uploaderUserId: bob.userId,
      })
    : null;
  s.sql(
    "insert into album_files (album_id, file_id, user_id, wrapped_file_key, added_seq, key_version, content_digest, signature) values (?, ?, ?, ?, 999, ?, ?, ?)",
    albumId,
    fileId,
    bob.userId,
    wrappedFileKey,
    keyVersion,
    signed ? contentDigest : null,
    signature,
  );
  return fileId;
}

describe("public link visitors verify placements as members do", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
    bob = await s.account("bob@example.com");
    carol = await s.account("carol@example.com");
    albumId = (await alice.client.library.createAlbum("Open day")).id;
    await alice.client.upload([photo("owner.jpg", 3).source], hooks, { albumId });
    await alice.client.sharing.share(albumId, "bob@example.com", "viewer");
    linkUrl = (await alice.client.links.create({ albumId })).url;
  }, 120_000);
  afterAll(() => s?.stop());

  it("shows the owner's files, verified", async () => {
    const link = await PublicLink.open(linkUrl, { serverUrl: s.proxy.url });
    expect(link.verified).toBe(true);
    expect(link.files.map((f) => f.metadata.name)).toEqual(["owner.jpg"]);
  });

  it("refuses a viewer's signed placement and an unsigned one the server adds", async () => {
    const injected = await bobInjects("bob.jpg", 5, true);
    const unsigned = await bobInjects("bob-unsigned.jpg", 7, false);
    const link = await PublicLink.open(linkUrl, { serverUrl: s.proxy.url });
    expect(link.files.map((f) => f.metadata.name)).toEqual(["owner.jpg"]);
    expect(link.unreadable.sort()).toEqual([injected, unsigned].sort());
  });

  it("a roster the server edits (adding Bob as contributor) fails verification", async () => {
    const undo = s.proxy.lie({
      path: /^\/api\/public\/links\//,
      rewrite: (b) => {
        if (!b.roster) return undefined;
        const payload = JSON.parse(b.roster.signed.payload);
        payload.contributors.push({ userId: bob.userId, signingPublicKey: "x", grant: {} });
        return {
          ...b,
          roster: { ...b.roster, signed: { ...b.roster.signed, payload: JSON.stringify(payload) } },
        };
      },
    });
    try {
      await expect(PublicLink.open(linkUrl, { serverUrl: s.proxy.url })).rejects.toMatchObject({
        code: "TAMPERED",
      });
    } finally {
      undo();
    }
  });

  it("a roster swapped for another owner's (with their key) does not open under this link", async () => {
    const other = (await carol.client.library.createAlbum("Carol's")).id;
    const carolsLink = await carol.client.links.create({ albumId: other });
    const carolsRoster = (await carol.client.links.list()).find((l) => l.id === carolsLink.linkId)!.roster;
    const undo = s.proxy.lie({
      path: /^\/api\/public\/links\//,
      rewrite: (b) => ({ ...b, roster: carolsRoster }),
    });
    try {
      await expect(PublicLink.open(linkUrl, { serverUrl: s.proxy.url })).rejects.toMatchObject({
        code: "TAMPERED",
      });
    } finally {
      undo();
    }
  });

  it("a contributor added after the link was made is in the re-signed roster: their files show", async () => {
    await alice.client.sharing.share(albumId, "carol@example.com", "contributor");
    const carolFile = (await carol.client.upload([photo("carol.jpg", 11).source], hooks, { albumId }))
      .uploaded[0]!;
    const link = await PublicLink.open(linkUrl, { serverUrl: s.proxy.url });
    expect(link.files.map((f) => f.id)).toContain(carolFile.fileId);
    expect(link.files.map((f) => f.metadata.name)).not.toContain("bob.jpg");
  });

  it("a withheld roster is refused for a link made with one; a link made before rosters is marked unverified", async () => {
    const undo = s.proxy.lie({ path: /^\/api\/public\/links\//, rewrite: (b) => ({ ...b, roster: null }) });
    try {
      await expect(PublicLink.open(linkUrl, { serverUrl: s.proxy.url })).rejects.toMatchObject({
        code: "TAMPERED",
      });
      // The URL of a link made before rosters carries no owner tag.
      const legacy = await PublicLink.open(linkUrl.replace(/\.[A-Za-z0-9_-]{22}$/, ""), {
        serverUrl: s.proxy.url,
      });
      expect(legacy.verified).toBe(false);
    } finally {
      undo();
    }
  });

  it("a link holder who reseals their own key as the owner (with the server's help) is refused", async () => {
    const secret = parseLinkUrl(linkUrl).secret;
    const { linkId, linkKey } = await deriveLinkKeys(secret);
    const mallory = await generateIdentity();
    const roster = {
      v: 1,
      ownerId: alice.userId,
      owner: toBase64Url(
        await sealLinkOwner(linkKey, linkId, albumId, alice.userId, mallory.signing.publicKey),
      ),
      signed: await signLinkRoster(mallory.signing.privateKey, {
        linkId,
        albumId,
        ownerId: alice.userId,
        issuedAt: new Date().toISOString(),
        contributors: [],
      }),
    };
    const undo = s.proxy.lie({ path: /^\/api\/public\/links\//, rewrite: (b) => ({ ...b, roster }) });
    try {
      await expect(PublicLink.open(linkUrl, { serverUrl: s.proxy.url })).rejects.toMatchObject({
        code: "TAMPERED",
      });
    } finally {
      undo();
    }
  });
});
