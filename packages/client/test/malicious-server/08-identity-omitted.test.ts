import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, type MaliciousServer, startMaliciousServer } from "./harness.js";

// Scenario 8: the server says the account has no sharing identity, hoping the client makes a new one (MEGA-style
// key overwriting), which would break every share sealed to the real keys.
let s: MaliciousServer;
let alice: Account;

const identityPuts = () =>
  s.proxy.seen.filter((r) => r.method === "PUT" && r.path === "/api/account/identity");

function omitIdentity(): () => void {
  const strip = (b: Record<string, unknown>) => ({ ...b, publicKeys: null, wrappedPrivateKeys: null });
  const undoKeys = s.proxy.lie({ method: "GET", path: "/api/account/keys", rewrite: strip });
  const undoLogin = s.proxy.lie({
    method: "POST",
    path: /^\/api\/auth\/login/,
    rewrite: (b) => (b.keyBundle ? { ...b, keyBundle: strip(b.keyBundle) } : undefined),
  });
  return () => {
    undoKeys();
    undoLogin();
  };
}

describe("a server that omits the account's identity", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    s = await startMaliciousServer();
    alice = await s.account("alice@example.com");
    await s.account("bob@example.com");
  }, 120_000);
  afterAll(() => s?.stop());

  it("a device that saw the identity refuses to replace it, with IDENTITY_MISSING", async () => {
    const album = (await alice.client.library.createAlbum("A")).id;
    const before = identityPuts().length;
    // A fresh unlock on the same device (its store keeps the pin of its own keys).
    alice.client.lock();
    const undo = omitIdentity();
    try {
      await alice.client.unlock(alice.password);
      await expect(alice.client.sharing.share(album, "bob@example.com")).rejects.toMatchObject({
        code: "IDENTITY_MISSING",
      });
      await expect(alice.client.createIdentity()).rejects.toMatchObject({ code: "IDENTITY_MISSING" });
    } finally {
      undo();
    }
    expect(identityPuts().length).toBe(before);
    expect(alice.client.warnings.list.map((w) => w.code)).toContain("IDENTITY_MISSING");
  });

  it("a new device never creates one on the server's word either", async () => {
    const before = identityPuts().length;
    const undo = omitIdentity();
    let device: Awaited<ReturnType<Account["newDevice"]>>;
    try {
      device = await alice.newDevice();
      await expect(device.sharing.ownKeys()).rejects.toMatchObject({ code: "IDENTITY_MISSING" });
    } finally {
      undo();
    }
    expect(identityPuts().length).toBe(before);
    // Told the truth, the same device finds the real identity (nothing was replaced).
    const keys = await device.sharing.ownKeys();
    expect(keys.userId).toBe(alice.userId);
  });
});
