import { toBase64Url, UmbraCryptoError } from "@umbra/crypto";
import sodium from "libsodium-wrappers-sumo";
import { afterAll, afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { UmbraClient } from "../../src/client.js";
import { UmbraClientError } from "../../src/errors.js";
import { PublicLink } from "../../src/public-link.js";
import { type Account, type MaliciousServer, sentBy, startMaliciousServer, taggedFetch } from "./harness.js";
import type { SeenRequest } from "./lying-proxy.js";

/**
 * The server hands back weaker password KDF parameters than the account's (SPEC §3) or a link's (SPEC §18: Argon2id,
 * or PBKDF2 on links made before it): the client refuses before it derives anything from the password with them,
 * and sends nothing after the answer that carried them.
 */

let server: MaliciousServer;
let alice: Account;
let deriveBits: MockInstance<SubtleCrypto["deriveBits"]>;

type Kdf = { algorithm: string; iterations: number; salt: string };

/** The PBKDF2 iteration counts the client derived with since the spy was last cleared. */
const pbkdf2Runs = () =>
  deriveBits.mock.calls
    .map(([algorithm]) => algorithm as { name?: string; iterations?: number })
    .filter((algorithm) => algorithm.name === "PBKDF2")
    .map((algorithm) => algorithm.iterations);

const routes = (requests: SeenRequest[]) => requests.map((r) => `${r.method} ${r.path.split("?")[0]}`);

/** No request carried the password in any form the proxy can see. */
function passwordNeverSent(requests: SeenRequest[], password: string): void {
  for (const request of requests) {
    expect(request.path).not.toContain(password);
    expect(JSON.stringify(request.headers)).not.toContain(password);
    expect(request.body.includes(password)).toBe(false);
  }
}

function expectCode(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(code === "INVALID_RESPONSE" ? UmbraClientError : UmbraCryptoError);
  expect(error).toMatchObject({ code });
}

const shortSalt = toBase64Url(new Uint8Array(16).fill(7));

/** Weakened parameters and how the client must refuse them. */
const downgrades: { name: string; change: Partial<Kdf>; code: string }[] = [
  { name: "100,000 iterations", change: { iterations: 100_000 }, code: "WEAK_KDF_PARAMS" },
  { name: "599,999 iterations", change: { iterations: 599_999 }, code: "WEAK_KDF_PARAMS" },
  { name: "a 16-byte salt", change: { salt: shortSalt }, code: "WEAK_KDF_PARAMS" },
  // Below what the protocol allows at all: the answer's shape is refused before the KDF rules are applied.
  { name: "1,000 iterations", change: { iterations: 1_000 }, code: "INVALID_RESPONSE" },
  { name: "another algorithm", change: { algorithm: "PBKDF2-SHA1" }, code: "INVALID_RESPONSE" },
  // Above the client's cap: a server making clients spin for minutes.
  { name: "50,000,000 iterations", change: { iterations: 50_000_000 }, code: "INVALID_INPUT" },
];

describe("malicious server: a downgraded password KDF is refused", { timeout: 90_000 }, () => {
  beforeAll(async () => {
    // Many refused logins in a row: keep the per-account login limit out of the way.
    server = await startMaliciousServer({ UMBRA_LOGIN_MAX_PER_ACCOUNT: "1000" });
    alice = await server.account("alice-kdf@example.com");
    deriveBits = vi.spyOn(globalThis.crypto.subtle, "deriveBits");
  }, 120_000);

  afterEach(() => {
    server.proxy.truthful();
    deriveBits.mockClear();
  });

  afterAll(async () => {
    deriveBits?.mockRestore();
    await server?.stop();
  }, 60_000);

  it("an honest login derives with the account's parameters (the control: the spy sees PBKDF2)", async () => {
    const client = new UmbraClient({ serverUrl: server.proxy.url });
    await client.login(alice.email, alice.password);
    expect(client.isUnlocked).toBe(true);
    expect(pbkdf2Runs()).toEqual([600_000]);
  });

  for (const { name, change, code } of downgrades) {
    it(`login with ${name} in the key bundle → ${code}, nothing derived or sent afterwards`, async () => {
      server.proxy.lie({
        method: "POST",
        path: "/api/auth/login/finish",
        rewrite: (body) => ({
          ...body,
          keyBundle: { ...body.keyBundle, kdf: { ...body.keyBundle.kdf, ...change } },
        }),
      });
      const tag = `login-${name}`;
      const client = new UmbraClient({ serverUrl: server.proxy.url, fetch: taggedFetch(tag) });
      const error = await client.login(alice.email, alice.password).catch((thrown: unknown) => thrown);
      expectCode(error, code);
      expect(client.isUnlocked).toBe(false);
      expect(client.session).toBeUndefined();
      expect(pbkdf2Runs()).toEqual([]);
      const sent = sentBy(server.proxy, tag);
      expect(routes(sent)).toEqual(["POST /api/auth/login/start", "POST /api/auth/login/finish"]);
      passwordNeverSent(sent, alice.password);
    });
  }

  it("unlock and showing the recovery phrase with a downgraded /api/account/keys → WEAK_KDF_PARAMS", async () => {
    const client = new UmbraClient({ serverUrl: server.proxy.url, fetch: taggedFetch("unlock") });
    await client.login(alice.email, alice.password);
    // Unlocking checks the published identity in the background: let that request finish first.
    await client.sharing.ownKeys();
    client.lock();
    deriveBits.mockClear();
    const mark = sentBy(server.proxy, "unlock").length;
    server.proxy.lie({
      method: "GET",
      path: "/api/account/keys",
      rewrite: (bundle) => ({ ...bundle, kdf: { ...bundle.kdf, iterations: 100_000 } }),
    });
    expectCode(await client.unlock(alice.password).catch((thrown: unknown) => thrown), "WEAK_KDF_PARAMS");
    expect(client.isUnlocked).toBe(false);
    expectCode(
      await client.revealRecoveryPhrase(alice.password).catch((thrown: unknown) => thrown),
      "WEAK_KDF_PARAMS",
    );
    expect(pbkdf2Runs()).toEqual([]);
    const sent = sentBy(server.proxy, "unlock").slice(mark);
    expect(routes(sent)).toEqual(["GET /api/account/keys", "GET /api/account/keys"]);
    passwordNeverSent(sent, alice.password);

    server.proxy.truthful();
    await client.unlock(alice.password);
    expect(client.isUnlocked).toBe(true);
    expect(pbkdf2Runs()).toEqual([600_000]);
  });

  it("a password link whose answer carries weaker parameters → refused before any KDF run, nothing sent after", async () => {
    const albumId = (await alice.client.library.createAlbum("Guarded")).id;
    const password = "link password 42";
    const link = await alice.client.links.create({ albumId }, { password });
    // New links store link password format v2: Argon2id, m = 64 MiB, t = 3 (SPEC §18).
    expect(link.record.kdf).toMatchObject({ v: 2, algorithm: "argon2id", memoryKiB: 65_536, iterations: 3 });
    await sodium.ready;
    const argon2idRuns = vi.spyOn(sodium, "crypto_pwhash");
    const pbkdf2 = { algorithm: "PBKDF2-SHA256", salt: toBase64Url(new Uint8Array(32).fill(9)) };
    const linkDowngrades: { name: string; kdf: (kdf: Record<string, unknown>) => unknown; code: string }[] = [
      {
        name: "OWASP's 19 MiB, t = 2",
        kdf: (kdf) => ({ ...kdf, memoryKiB: 19_456, iterations: 2 }),
        code: "WEAK_KDF_PARAMS",
      },
      { name: "2 passes", kdf: (kdf) => ({ ...kdf, iterations: 2 }), code: "WEAK_KDF_PARAMS" },
      {
        name: "an 8-byte salt",
        kdf: (kdf) => ({ ...kdf, salt: toBase64Url(new Uint8Array(8)) }),
        code: "WEAK_KDF_PARAMS",
      },
      // Back to format v1 with fewer iterations than v1 allows: the algorithm switch is no way around the minimum.
      {
        name: "PBKDF2 with 100,000 iterations",
        kdf: () => ({ ...pbkdf2, iterations: 100_000 }),
        code: "WEAK_KDF_PARAMS",
      },
      {
        name: "4 GiB of memory",
        kdf: (kdf) => ({ ...kdf, memoryKiB: 4 * 1024 * 1024 }),
        code: "INVALID_INPUT",
      },
      { name: "format version 3", kdf: (kdf) => ({ ...kdf, v: 3 }), code: "UNSUPPORTED_VERSION" },
      { name: "Argon2d", kdf: (kdf) => ({ ...kdf, algorithm: "argon2d" }), code: "INVALID_RESPONSE" },
    ];
    for (const { name, kdf, code } of linkDowngrades) {
      deriveBits.mockClear();
      argon2idRuns.mockClear();
      const undo = server.proxy.lie({
        method: "GET",
        path: `/api/public/links/${link.linkId}`,
        rewrite: (body) => ({ ...body, kdf: kdf(body.kdf) }),
      });
      const tag = `link-${name}`;
      const error = await PublicLink.open(link.url, { password, fetch: taggedFetch(tag) }).catch(
        (thrown: unknown) => thrown,
      );
      undo();
      expectCode(error, code);
      expect(pbkdf2Runs(), name).toEqual([]);
      expect(argon2idRuns, name).not.toHaveBeenCalled();
      const sent = sentBy(server.proxy, tag);
      expect(routes(sent)).toEqual([`GET /api/public/links/${link.linkId}`]);
      passwordNeverSent(sent, password);
    }

    deriveBits.mockClear();
    argon2idRuns.mockClear();
    expect((await PublicLink.open(link.url, { password })).albumName).toBe("Guarded");
    expect(pbkdf2Runs()).toEqual([]);
    expect(argon2idRuns).toHaveBeenCalledTimes(1);
    argon2idRuns.mockRestore();
  });
});
