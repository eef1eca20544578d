import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { UmbraClient } from "@umbra/client";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import {
  jpegSource,
  logInInBrowser,
  makeJpeg,
  sdkAccount,
  sharpHooks,
  strictContext,
} from "./sharing-helpers.js";

/**
 * The web app against a lying server (issue 12): the real server, with its JSON answers rewritten in the browser
 * (Playwright routes) or its SQLite rows edited, as a server's operator could. The app must refuse or warn in
 * plain words, and show what the user's devices vouch for.
 */
const ALICE = { email: "alice.lying@example.com", password: "alice quartz meadow 4 lantern" };
const BOB = { email: "bob.lying@example.com", password: "bob cormorant violet 8 anvil" };
const CAROL = { email: "carol.lying@example.com", password: "carol juniper signal 3 tundra" };
const EVE = { email: "eve.lying@example.com", password: "eve marble thistle 6 harbour" };
const DAVE = { email: "dave.lying@example.com", password: "dave saffron glacier 5 puzzle" };
const ALBUM = "Harbour walk";
const shotsDir = path.join(artifactsDir, "lying-server");

let webDir: string;
let server: RunningServer;
let browser: Browser;
let alice: UmbraClient;
let bob: UmbraClient;
let carol: UmbraClient;
let eve: UmbraClient;
let dave: UmbraClient;
let albumId: string;
const fileIds: Record<string, string> = {};
const problems: string[] = [];
const contexts: BrowserContext[] = [];
let aliceContext: BrowserContext;
let alicePage: Page;
/** Every member grant Alice's page sent (PUT /api/albums/:id/members/:userId): what sealing a key looks like. */
const memberPuts: string[] = [];

async function snap(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: path.join(shotsDir, `${name}.png`) });
}

async function newContext(): Promise<BrowserContext> {
  const ctx = await strictContext(browser, problems);
  contexts.push(ctx);
  return ctx;
}

/** SQL against the server's database, as a malicious operator would run it. */
function sql(query: string, ...params: unknown[]): void {
  const db = new Database(path.join(server.dataDir, "umbra.sqlite"));
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare(query).run(...params);
  } finally {
    db.close();
  }
}

function keyBundleOf(userId: string): { publicKeys: unknown; wrappedPrivateKeys: unknown } {
  const db = new Database(path.join(server.dataDir, "umbra.sqlite"), { readonly: true });
  try {
    const row = db.prepare("select key_bundle from users where id = ?").get(userId) as { key_bundle: string };
    return JSON.parse(row.key_bundle);
  } finally {
    db.close();
  }
}

/** The server trashes a live file by itself, giving it a new sequence number as its own routes do. */
function serverTrashes(fileId: string, userId: string): void {
  sql("update users set seq = seq + 1 where id = ?", userId);
  sql(
    "update files set trashed_at = ?, updated_at = ?, seq = (select seq from users where id = ?) where id = ?",
    new Date().toISOString(),
    new Date().toISOString(),
    userId,
    fileId,
  );
}

async function reloadAndUnlock(p: Page, password: string): Promise<void> {
  await p.reload();
  await p.fill("#ul-password", password);
  await p.click("form button[type=submit]");
  await p.waitForSelector("nav[aria-label=Sections]", { timeout: 60_000 });
}

async function openShareDialog(p: Page): Promise<void> {
  await p.click("nav a:has-text('Albums')");
  await p.click(`.albums button:has-text("${ALBUM}")`);
  await p.click("header button:has-text('Share')");
  await p.waitForSelector("[data-testid=share-dialog] #share-email");
}

async function shareInDialog(p: Page, email: string, role: "viewer" | "contributor"): Promise<void> {
  await p.fill("#share-email", email);
  await p.selectOption("#share-role", role);
  await p.click("[data-testid=share-dialog] form button[type=submit]");
}

async function digitsIn(p: Page, scope: string): Promise<string> {
  await p.waitForSelector(`${scope} ol[aria-label="Safety number"] li`);
  return (await p.locator(`${scope} ol[aria-label="Safety number"] li`).allTextContents()).join(" ");
}

/** The lookup of a user's keys by email, and the sync feed (matched by path: the query varies). */
const isLookup = (url: URL) => url.pathname === "/api/users/lookup";
const isSync = (url: URL) => url.pathname === "/api/sync";

/** Waits until the library has loaded and been checked against its checkpoint (the content is no longer busy). */
async function libraryChecked(p: Page): Promise<void> {
  await p.waitForSelector("main.content[aria-busy=false]", { timeout: 60_000 });
}

/** Answers lookups of `asked` with another account's real answer (its user id and self-signed keys). */
function answerLookupWith(asked: string, other: string, when: () => boolean = () => true) {
  return async (route: Route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.get("email") !== asked || !when()) return route.fallback();
    url.searchParams.set("email", other);
    const response = await route.fetch({ url: url.toString() });
    const body = (await response.json()) as { email: string };
    await route.fulfill({ response, json: { ...body, email: asked } });
  };
}

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true });
  for (const name of readdirSync(shotsDir)) rmSync(path.join(shotsDir, name), { recursive: true });
  // Its own build directory: web.test.ts empties packages/web/dist while it runs.
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-web-lying-"));
  buildWeb(webDir);
  server = await startServer({ webDir, logLevel: "info" });
  browser = await launchChromium();
  alice = await sdkAccount(server.url, ALICE.email, ALICE.password);
  bob = await sdkAccount(server.url, BOB.email, BOB.password);
  carol = await sdkAccount(server.url, CAROL.email, CAROL.password);
  eve = await sdkAccount(server.url, EVE.email, EVE.password);
  dave = await sdkAccount(server.url, DAVE.email, DAVE.password);
  albumId = (await alice.library.createAlbum(ALBUM)).id;
  const colours = { "quay.jpg": "#1d6fa5", "pier.jpg": "#a5431d", "hill.jpg": "#3d8a2f" };
  for (const [name, colour] of Object.entries(colours)) {
    const source = jpegSource(name, await makeJpeg(640, 480, colour));
    const options = name === "quay.jpg" ? { albumId } : {};
    const summary = await alice.upload([source], sharpHooks, options);
    expect(summary.uploaded).toHaveLength(1);
    fileIds[name] = summary.uploaded[0]!.fileId;
  }
  await alice.library.flush();
}, 300_000);

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe("the web app against a lying server", { timeout: 180_000 }, () => {
  it("an honest server raises no warning: Alice's library loads with no banner", async () => {
    aliceContext = await newContext();
    alicePage = await aliceContext.newPage();
    alicePage.on("request", (request) => {
      if (request.method() === "PUT" && /\/api\/albums\/[^/]+\/members\//.test(request.url()))
        memberPuts.push(request.url());
    });
    await logInInBrowser(alicePage, server.url, ALICE.email, ALICE.password);
    for (const name of Object.keys(fileIds))
      await alicePage.waitForSelector(`.tile[aria-label^="${name}"] img`, { timeout: 60_000 });
    await libraryChecked(alicePage);
    expect(await alicePage.locator("[data-testid=warnings]").count()).toBe(0);
    expect(await alicePage.locator("[data-testid=identity-missing]").count()).toBe(0);
  });

  it("a first share asks Alice to compare the safety number before anything is sealed", async () => {
    await openShareDialog(alicePage);
    await shareInDialog(alicePage, BOB.email, "viewer");
    await alicePage.waitForSelector("[data-testid=confirm-contact]");
    expect(await alicePage.textContent("[data-testid=confirm-contact]")).toContain(
      `Share with ${BOB.email}?`,
    );
    // The number shown is the one Bob's own device computes for Alice: the keys are really his.
    const shown = await digitsIn(alicePage, "[data-testid=confirm-contact]");
    expect(shown).toBe((await bob.sharing.safetyNumber(ALICE.email)).digits);
    await alicePage.waitForFunction(
      () =>
        (document.querySelector<HTMLImageElement>("[data-testid=confirm-contact] img")?.naturalWidth ?? 0) >
        0,
    );
    expect(memberPuts).toEqual([]);
    await snap(alicePage, "01-first-share-confirm");
    await alicePage.click("[data-testid=confirm-contact] button:has-text('It matches')");
    await alicePage.waitForSelector(`[data-testid=members] li:has-text("${BOB.email}")`);
    expect(memberPuts).toHaveLength(1);
    expect(memberPuts[0]).toContain(`/members/${bob.session!.userId}`);
    expect((await alice.sharing.members(albumId)).members).toMatchObject([
      { userId: bob.session!.userId, role: "viewer" },
    ]);
  });

  it("scenario 1: after a reload, the server names Carol for bob@: refused with KEY_CHANGED, nothing sealed", async () => {
    await reloadAndUnlock(alicePage, ALICE.password);
    await alicePage.route(isLookup, answerLookupWith(BOB.email, CAROL.email));
    await openShareDialog(alicePage);
    await alicePage.waitForSelector(`[data-testid=members] li:has-text("${BOB.email}")`);
    const putsBefore = memberPuts.length;
    await shareInDialog(alicePage, BOB.email, "contributor");
    await alicePage.waitForSelector("[data-testid=key-changed]");
    expect(await alicePage.textContent("[data-testid=key-changed]")).toContain(
      `${BOB.email}'s keys have changed`,
    );
    expect(await alicePage.locator("[data-testid=confirm-contact]").count()).toBe(0);
    // The number offered for comparison is the one of the keys presented: Carol's, which Bob could never confirm.
    const presented = await digitsIn(alicePage, "[data-testid=key-changed]");
    expect(presented).toBe((await carol.sharing.safetyNumber(ALICE.email)).digits);
    expect(presented).not.toBe((await bob.sharing.safetyNumber(ALICE.email)).digits);
    await snap(alicePage, "02-key-changed");
    expect(memberPuts.length).toBe(putsBefore);
    await alicePage.click("[data-testid=key-changed] button:has-text('Cancel')");
    await alicePage.waitForSelector("[data-testid=key-changed]", { state: "detached" });
    // Bob stays a viewer; Carol got nothing; the member list names Bob as this device pinned him.
    expect(memberPuts.length).toBe(putsBefore);
    expect((await alice.sharing.members(albumId)).members).toMatchObject([
      { userId: bob.session!.userId, role: "viewer" },
    ]);
    expect(await alicePage.textContent("[data-testid=members]")).toContain(BOB.email);
    await alicePage.unroute(isLookup);
  });

  it("keys the server swaps between the comparison and the confirmation are not pinned, and nothing is sealed", async () => {
    let lookups = 0;
    await alicePage.route(
      isLookup,
      answerLookupWith(CAROL.email, EVE.email, () => ++lookups > 1),
    );
    const putsBefore = memberPuts.length;
    await shareInDialog(alicePage, CAROL.email, "viewer");
    await alicePage.waitForSelector("[data-testid=confirm-contact]");
    const compared = await digitsIn(alicePage, "[data-testid=confirm-contact]");
    expect(compared).toBe((await carol.sharing.safetyNumber(ALICE.email)).digits);
    // From now on the server answers for carol@ with Eve's account.
    await alicePage.click("[data-testid=confirm-contact] button:has-text('It matches')");
    await alicePage.waitForSelector("[data-testid=confirm-contact] .error");
    expect(await alicePage.textContent("[data-testid=confirm-contact]")).toContain("other keys");
    const offered = await digitsIn(alicePage, "[data-testid=confirm-contact]");
    expect(offered).toBe((await eve.sharing.safetyNumber(ALICE.email)).digits);
    await snap(alicePage, "03-safety-number-changed");
    expect(memberPuts.length).toBe(putsBefore);
    await alicePage.click("[data-testid=confirm-contact] button:has-text('Cancel')");
    await alicePage.unroute(isLookup);
    // Eve's keys were not left pinned for carol@: the honest answer is a first contact again, with Carol's number.
    await shareInDialog(alicePage, CAROL.email, "viewer");
    await alicePage.waitForSelector("[data-testid=confirm-contact]");
    expect(await digitsIn(alicePage, "[data-testid=confirm-contact]")).toBe(compared);
    await alicePage.click("[data-testid=confirm-contact] button:has-text('Cancel')");
    expect(memberPuts.length).toBe(putsBefore);
    await alicePage.click("[data-testid=share-dialog] button[aria-label=Close]");
  });

  it("a link's roster the server withholds: refused for a new link, a notice for one made before rosters", async () => {
    const { url } = await alice.links.create({ albumId });
    const page = await (await newContext()).newPage();
    await page.goto(url);
    await page.waitForSelector(`[data-testid=shared-grid] .tile[aria-label="quay.jpg"] img`, {
      timeout: 60_000,
    });
    expect(await page.locator("[data-testid=link-unverified]").count()).toBe(0);
    // The server answers without the roster (who may add photos), as it could for any link.
    await page.route(
      (u) => /^\/api\/public\/links\/[^/]+$/.test(u.pathname),
      async (route) => {
        const response = await route.fetch();
        const body = (await response.json()) as Record<string, unknown>;
        await route.fulfill({ response, json: { ...body, roster: null } });
      },
    );
    // A link made since rosters names its owner's key in the URL: a missing roster was withheld, and refused.
    await page.goto("about:blank");
    await page.goto(url);
    await page.waitForSelector("text=This link cannot be opened", { timeout: 60_000 });
    expect(await page.textContent("[data-testid=link-page]")).toContain("withheld");
    await snap(page, "04-link-roster-withheld");
    // A link from before rosters (no owner tag in its URL) opens, and says its photos could not be checked.
    const oldStyle = url.replace(/\.[A-Za-z0-9_-]{22}$/, "");
    expect(oldStyle).not.toBe(url);
    await page.goto("about:blank");
    await page.goto(oldStyle);
    await page.waitForSelector("[data-testid=link-unverified]", { timeout: 60_000 });
    expect(await page.textContent("[data-testid=link-unverified]")).toContain(
      "This link was made before Umbra could check who added each photo; ask the owner for a new link.",
    );
    await page.waitForSelector(`[data-testid=shared-grid] .tile[aria-label="quay.jpg"] img`);
    await snap(page, "05-link-unverified");
  });

  it("scenario 6: a file the server trashes stays in the timeline, not in Trash, and the banner says the library differs", async () => {
    serverTrashes(fileIds["pier.jpg"]!, alice.session!.userId);
    await alicePage.click("nav a:has-text('Photos')");
    await reloadAndUnlock(alicePage, ALICE.password);
    await alicePage.waitForSelector(`.tile[aria-label^="quay.jpg"]`, { timeout: 60_000 });
    await libraryChecked(alicePage);
    await alicePage.waitForSelector("[data-testid=warnings] li[data-code=LIBRARY_MISMATCH]");
    const banner = await alicePage.textContent("[data-testid=warnings]");
    expect(banner).toContain("Your library on the server differs from what your devices recorded");
    expect(banner).toContain("in the trash, or out of it, without your devices having done it");
    // Named with the name this device decrypted: the server only knows the id.
    expect(await alicePage.textContent("[data-testid=warnings] .names")).toBe("(pier.jpg)");
    await alicePage.waitForSelector(`.tile[aria-label^="pier.jpg"] img`, { timeout: 60_000 });
    await snap(alicePage, "06-banner-server-trashed");
    await alicePage.click("nav a:has-text('Trash')");
    await alicePage.waitForSelector("text=The trash is empty.");
    expect(await alicePage.locator("section[aria-labelledby=trash-title] >> text=pier.jpg").count()).toBe(0);
    // Dismissed, the banner goes; the file stays where the user put it.
    await alicePage.click("[data-testid=warnings] button[aria-label^='Dismiss']");
    await alicePage.waitForSelector("[data-testid=warnings]", { state: "detached" });
    await alicePage.click("nav a:has-text('Photos')");
    await alicePage.waitForSelector(`.tile[aria-label^="pier.jpg"]`);
  });

  it("scenario 6: a file the server leaves out of the sync feed is reported missing, with a count", async () => {
    const hidden = fileIds["hill.jpg"]!;
    await alicePage.route(isSync, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { files: { id: string }[] };
      await route.fulfill({ response, json: { ...body, files: body.files.filter((f) => f.id !== hidden) } });
    });
    await reloadAndUnlock(alicePage, ALICE.password);
    await alicePage.waitForSelector(`.tile[aria-label^="quay.jpg"]`, { timeout: 60_000 });
    await libraryChecked(alicePage);
    await alicePage.waitForSelector("[data-testid=warnings] [data-testid=warnings-count]");
    const banner = await alicePage.textContent("[data-testid=warnings]");
    expect(banner).toContain("missing from the server's listing");
    expect(banner).toContain("in the trash, or out of it, without your devices having done it");
    expect(await alicePage.textContent("[data-testid=warnings-count]")).toBe("2");
    expect(await alicePage.locator(`.tile[aria-label^="hill.jpg"]`).count()).toBe(0);
    await alicePage.waitForSelector(`.tile[aria-label^="pier.jpg"] img`);
    await snap(alicePage, "07-banner-hidden-and-trashed");
    await alicePage.emulateMedia({ colorScheme: "dark" });
    await alicePage.setViewportSize({ width: 390, height: 780 });
    await snap(alicePage, "07b-banner-phone-dark");
    await alicePage.setViewportSize({ width: 1280, height: 860 });
    await alicePage.emulateMedia({ colorScheme: "light" });
    await alicePage.unroute(isSync);
  });

  it("records that fail verification are skipped and reported; the rest of the library loads", async () => {
    const tampered = fileIds["quay.jpg"]!;
    await alicePage.route(isSync, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { files: { id: string; encryptedMetadata: string }[] };
      const files = body.files.map((f) => {
        if (f.id !== tampered) return f;
        // One character of the sealed metadata changed: it no longer authenticates.
        const at = Math.floor(f.encryptedMetadata.length / 2);
        const flipped = f.encryptedMetadata[at] === "A" ? "B" : "A";
        return {
          ...f,
          encryptedMetadata: f.encryptedMetadata.slice(0, at) + flipped + f.encryptedMetadata.slice(at + 1),
        };
      });
      await route.fulfill({
        response,
        json: { ...body, files: [...files, { id: "f_not-a-record", junk: true }] },
      });
    });
    await reloadAndUnlock(alicePage, ALICE.password);
    await alicePage.waitForSelector(`.tile[aria-label^="pier.jpg"] img`, { timeout: 60_000 });
    await libraryChecked(alicePage);
    await alicePage.waitForSelector("[data-testid=warnings] li[data-code=RECORD_REJECTED]");
    const rejected = await alicePage.textContent("[data-testid=warnings] li[data-code=RECORD_REJECTED]");
    expect(rejected).toContain("Something the server sent failed verification and is hidden");
    expect(rejected).toContain(`file ${tampered}, which failed verification and is not shown`);
    expect(rejected).toContain("malformed record f_not-a-record");
    expect(await alicePage.locator(`.tile[aria-label^="quay.jpg"]`).count()).toBe(0);
    await snap(alicePage, "08-banner-record-rejected");
    await alicePage.unroute(isSync);
  });

  it("sharing keys the server stops presenting: a warning, and Settings creates new ones only after two confirmations", async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    const daveId = dave.session!.userId;
    await logInInBrowser(page, server.url, DAVE.email, DAVE.password);
    // This device pins the account's own sharing keys when it first opens them.
    await page.waitForFunction(
      (key) => localStorage.getItem(key) !== null,
      `umbra:${daveId}:trust:own-identity`,
    );
    expect(await page.locator("[data-testid=warnings]").count()).toBe(0);
    const bundle = keyBundleOf(daveId);
    expect(bundle.publicKeys).not.toBeNull();
    sql(
      "update users set key_bundle = ? where id = ?",
      JSON.stringify({ ...bundle, publicKeys: null, wrappedPrivateKeys: null }),
      daveId,
    );
    await reloadAndUnlock(page, DAVE.password);
    await page.waitForSelector("[data-testid=warnings] li[data-code=IDENTITY_MISSING]", { timeout: 60_000 });
    expect(await page.textContent("[data-testid=warnings]")).toContain(
      "no longer presents this account's sharing keys",
    );
    await snap(page, "09-banner-identity-missing");
    await page.click("[data-testid=warnings] button:has-text('Open Settings')");
    await page.waitForSelector("[data-testid=identity-missing] button:has-text('Create sharing keys')");
    await page.click("[data-testid=identity-missing] button:has-text('Create sharing keys')");
    // This device saw keys before: creating is refused, replacing takes two more clicks.
    await page.waitForSelector("[data-testid=identity-seen] button:has-text('Replace my sharing keys')");
    expect(keyBundleOf(daveId).publicKeys).toBeNull();
    await page.click("[data-testid=identity-seen] button:has-text('Replace my sharing keys')");
    await page.waitForSelector("[data-testid=identity-seen] button:has-text('Yes, replace my sharing keys')");
    await snap(page, "10-settings-replace-sharing-keys");
    expect(keyBundleOf(daveId).publicKeys).toBeNull();
    await page.click("[data-testid=identity-seen] button:has-text('Yes, replace my sharing keys')");
    await page.waitForSelector("[data-testid=identity-created]", { timeout: 60_000 });
    const published = keyBundleOf(daveId);
    expect(published.publicKeys).not.toBeNull();
    expect(published.publicKeys).not.toEqual(bundle.publicKeys);
    expect(await page.locator("[data-testid=warnings] li[data-code=IDENTITY_MISSING]").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("a difference the user says was theirs is accepted after a confirmation, and is not reported again", async () => {
    // pier.jpg is still in the trash on the server (scenario 6 above), against the checkpoint.
    await reloadAndUnlock(alicePage, ALICE.password);
    await libraryChecked(alicePage);
    await alicePage.waitForSelector("[data-testid=warnings] li[data-code=LIBRARY_MISMATCH]", {
      timeout: 60_000,
    });
    await alicePage.click("[data-testid=warnings] button:has-text('These changes were mine')");
    await alicePage.waitForSelector("[data-testid=accept-library]");
    await snap(alicePage, "11-accept-library");
    await alicePage.click("[data-testid=accept-library] button:has-text('Yes, these changes were mine')");
    await alicePage.waitForSelector("[data-testid=warnings] li[data-code=LIBRARY_MISMATCH]", {
      state: "detached",
    });
    await reloadAndUnlock(alicePage, ALICE.password);
    await libraryChecked(alicePage);
    expect(await alicePage.locator("[data-testid=warnings] li[data-code=LIBRARY_MISMATCH]").count()).toBe(0);
    // Accepted as the user's own: pier.jpg is where the server put it, in the trash.
    await alicePage.click("nav a:has-text('Trash')");
    await alicePage.waitForSelector("section[aria-labelledby=trash-title] >> text=pier.jpg");
    expect(problems).toEqual([]);
  });

  it("thumbnails the server swaps between two files are refused: each tile is marked broken, none shows the other", async () => {
    // The decrypt workers fetch the grid's thumbnails themselves; each sealed thumbnail is bound to its file id.
    const [a, b] = [fileIds["quay.jpg"]!, fileIds["hill.jpg"]!];
    const swap = () => {
      const db = new Database(path.join(server.dataDir, "umbra.sqlite"));
      try {
        db.pragma("busy_timeout = 5000");
        const row = db.prepare(
          "select blob_key, content_size, grid_size, preview_size from files where id = ?",
        );
        const [ra, rb] = [row.get(a), row.get(b)] as Record<string, unknown>[];
        const set = db.prepare(
          "update files set blob_key = ?, content_size = ?, grid_size = ?, preview_size = ? where id = ?",
        );
        // Each blob key is unique: a placeholder first.
        db.transaction(() => {
          set.run(`swap-${a}`, 0, 0, 0, a);
          set.run(ra!.blob_key, ra!.content_size, ra!.grid_size, ra!.preview_size, b);
          set.run(rb!.blob_key, rb!.content_size, rb!.grid_size, rb!.preview_size, a);
        })();
      } finally {
        db.close();
      }
    };
    swap();
    try {
      await reloadAndUnlock(alicePage, ALICE.password);
      await alicePage.click("nav a:has-text('Photos')");
      for (const name of ["quay.jpg", "hill.jpg"])
        await alicePage.waitForSelector(`.tile[aria-label^="${name}"] .broken`, { timeout: 60_000 });
      expect(
        await alicePage
          .locator(`.tile[aria-label^="quay.jpg"] img, .tile[aria-label^="hill.jpg"] img`)
          .count(),
      ).toBe(0);
      await snap(alicePage, "12-swapped-thumbnails-refused");
    } finally {
      swap();
    }
    await reloadAndUnlock(alicePage, ALICE.password);
    await alicePage.waitForSelector(`.tile[aria-label^="hill.jpg"] img`, { timeout: 60_000 });
    expect(problems).toEqual([]);
  });
});
