import { fromBase64Url, UmbraCryptoError } from "@umbra/crypto";
import { generateIdentity, signPublicKeyBundle } from "@umbra/crypto/sharing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KeyChangedError } from "../../src/contacts.js";
import { refusal } from "../refusal.js";
import { type Account, type MaliciousServer, startMaliciousServer } from "./harness.js";
import type { SeenRequest } from "./lying-proxy.js";

/**
 * After Alice pinned Bob's keys, the server answers lookups of Bob (same user id, same email) with another
 * bundle that is validly self-signed for Bob's id (SPEC §17.1, §17.7): Alice refuses with KEY_CHANGED before
 * sealing anything, and no grant reaches the server.
 */

let server: MaliciousServer;
let alice: Account;
let bob: Account;
let carol: Account;
let pinnedAlbum: string;

// biome-ignore lint/suspicious/noExplicitAny: the wire bundle as the server sends it
type Bundle = any;

/** Lies about Bob on every user lookup (by email or by id): `forge` gets his real answer. */
function lieAboutBob(
  forge: (answer: { userId: string; email: string; publicKeys: Bundle }) => unknown,
): void {
  server.proxy.lie({
    method: "GET",
    path: /^\/api\/users\//,
    rewrite: (answer) => (answer?.userId === bob.userId ? forge(answer) : undefined),
  });
}

/** What Alice sent that grants or re-keys anything: member PUTs and rotations. */
const grantsSent = (requests: SeenRequest[]) =>
  requests.filter(
    (r) =>
      (r.method === "PUT" && /^\/api\/albums\/[^/]+\/members\//.test(r.path)) ||
      (r.method === "POST" && /^\/api\/albums\/[^/]+\/rotate/.test(r.path)),
  );

function expectKeyChanged(error: unknown): void {
  expect(error).toBeInstanceOf(KeyChangedError);
  expect(error).toMatchObject({ code: "KEY_CHANGED" });
}

describe("malicious server: a substituted key bundle for a pinned contact is refused", {
  timeout: 90_000,
}, () => {
  beforeAll(async () => {
    server = await startMaliciousServer();
    alice = await server.account("alice-keys@example.com");
    bob = await server.account("bob-keys@example.com");
    carol = await server.account("carol-keys@example.com");
    // Sharing pins Bob's and Carol's keys on Alice's device (TOFU).
    pinnedAlbum = (await alice.client.library.createAlbum("Pinned")).id;
    await alice.client.sharing.share(pinnedAlbum, bob.email, "viewer");
    await alice.client.sharing.share(pinnedAlbum, carol.email, "viewer");
  }, 120_000);

  afterEach(() => server.proxy.truthful());

  afterAll(() => server?.stop(), 60_000);

  it("a fresh identity self-signed for Bob's user id → share throws KEY_CHANGED and PUTs no member", async () => {
    const fake = await generateIdentity();
    const forged = await signPublicKeyBundle(fake, bob.userId);
    lieAboutBob((answer) => ({ ...answer, publicKeys: forged }));
    const albumId = (await alice.client.library.createAlbum("Second")).id;
    const mark = server.proxy.seen.length;
    const fired = server.proxy.fired();

    expectKeyChanged(await refusal(alice.client.sharing.share(albumId, bob.email, "viewer")));
    expect(server.proxy.fired()).toBeGreaterThan(fired);
    expectKeyChanged(await refusal(alice.client.sharing.safetyNumber(bob.email)));
    expectKeyChanged(await refusal(alice.client.contacts.get(bob.userId)));
    expect(grantsSent(server.proxy.seen.slice(mark))).toEqual([]);

    server.proxy.truthful();
    expect((await alice.client.sharing.members(albumId)).members).toEqual([]);
    // With the real keys back, the same share goes through (the refusal came from the substitution).
    await alice.client.sharing.share(albumId, bob.email, "viewer");
    expect(grantsSent(server.proxy.seen.slice(mark))).toHaveLength(1);
    expect((await bob.client.sharing.sharedWithMe()).albums.map((a) => a.id)).toContain(albumId);
  });

  it("Bob's real encryption key re-signed under a new signing key → KEY_CHANGED", async () => {
    const fake = await generateIdentity();
    lieAboutBob(async (answer) => {
      const mixed = {
        hpke: { ...fake.hpke, publicKey: fromBase64Url(answer.publicKeys.hpkePublicKey) },
        signing: fake.signing,
      };
      return { ...answer, publicKeys: await signPublicKeyBundle(mixed, bob.userId) };
    });
    const albumId = (await alice.client.library.createAlbum("Third")).id;
    const mark = server.proxy.seen.length;
    expectKeyChanged(await refusal(alice.client.sharing.share(albumId, bob.email, "contributor")));
    expect(grantsSent(server.proxy.seen.slice(mark))).toEqual([]);
  });

  it("Carol's account and keys answered for Bob's email → KEY_CHANGED", async () => {
    server.proxy.lie({
      method: "GET",
      path: "/api/users/lookup",
      rewrite: async (answer) => {
        if (answer?.userId !== bob.userId) return undefined;
        const response = await fetch(`${server.realUrl}/api/users/${carol.userId}/keys`, {
          headers: { authorization: `Bearer ${alice.client.http.token}` },
        });
        return { ...((await response.json()) as object), email: bob.email };
      },
    });
    const albumId = (await alice.client.library.createAlbum("Fourth")).id;
    const mark = server.proxy.seen.length;
    expectKeyChanged(await refusal(alice.client.sharing.share(albumId, bob.email, "viewer")));
    expect(grantsSent(server.proxy.seen.slice(mark))).toEqual([]);
  });

  it("a bundle whose self-signature does not verify → TAMPERED, nothing sealed", async () => {
    const fake = await generateIdentity();
    lieAboutBob(async (answer) => {
      const forged = await signPublicKeyBundle(fake, bob.userId);
      return { ...answer, publicKeys: { ...answer.publicKeys, signature: forged.signature } };
    });
    const albumId = (await alice.client.library.createAlbum("Fifth")).id;
    const mark = server.proxy.seen.length;
    const error = await refusal(alice.client.sharing.share(albumId, bob.email, "viewer"));
    expect(error).toBeInstanceOf(UmbraCryptoError);
    expect(error).toMatchObject({ code: "TAMPERED" });
    expect(grantsSent(server.proxy.seen.slice(mark))).toEqual([]);
  });

  it("removing Carol while Bob's keys are substituted → KEY_CHANGED, no rotation is sent", async () => {
    const fake = await generateIdentity();
    const forged = await signPublicKeyBundle(fake, bob.userId);
    lieAboutBob((answer) => ({ ...answer, publicKeys: forged }));
    const mark = server.proxy.seen.length;
    // The new album key would be sealed to Bob, the remaining member: to the server's key if it were accepted.
    expectKeyChanged(await refusal(alice.client.sharing.removeMembers(pinnedAlbum, [carol.email])));
    expect(grantsSent(server.proxy.seen.slice(mark))).toEqual([]);
    server.proxy.truthful();
    const { members } = await alice.client.sharing.members(pinnedAlbum);
    expect(members.map((m) => m.userId).sort()).toEqual([bob.userId, carol.userId].sort());
  });
});
