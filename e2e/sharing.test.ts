import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { UmbraClient } from "@umbra/client";
import { generateIdentity, signPublicKeyBundle } from "@umbra/crypto/sharing";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
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

const ALICE = { email: "alice.share@example.com", password: "alice orbit lantern 7 marmalade" };
const BOB = { email: "bob.share@example.com", password: "bob pelican harvest 9 cobalt" };
const ALBUM = "Lake weekend";
const shotsDir = path.join(artifactsDir, "sharing");

let webDir: string;
let server: RunningServer;
let browser: Browser;
let alice: UmbraClient;
let bob: UmbraClient;
let albumId: string;
let lakeId: string;
let lake: Buffer;
let pier: Buffer;
const problems: string[] = [];
const contexts: BrowserContext[] = [];
let bobPage: Page;
let alicePage: Page;
let openLinkUrl = "";
let uiLinkUrl = "";
let shot = 0;
let fakePublicKeys: Awaited<ReturnType<typeof signPublicKeyBundle>>;

async function snap(p: Page, name: string): Promise<void> {
  shot++;
  await p.screenshot({ path: path.join(shotsDir, `${String(shot).padStart(2, "0")}-${name}.png`) });
}

async function freshPage(requests?: string[]): Promise<Page> {
  const ctx = await strictContext(browser, problems, requests);
  contexts.push(ctx);
  return ctx.newPage();
}

/** Plays a malicious server: replaces a user's published public keys with a fresh identity's. */
function swapKeysOf(userId: string): string {
  const db = new Database(path.join(server.dataDir, "umbra.sqlite"));
  try {
    const row = db.prepare("select key_bundle from users where id = ?").get(userId) as { key_bundle: string };
    const bundle = JSON.parse(row.key_bundle);
    bundle.publicKeys = fakePublicKeys;
    db.prepare("update users set key_bundle = ? where id = ?").run(JSON.stringify(bundle), userId);
    return row.key_bundle;
  } finally {
    db.close();
  }
}

function restoreKeys(userId: string, keyBundle: string): void {
  const db = new Database(path.join(server.dataDir, "umbra.sqlite"));
  db.prepare("update users set key_bundle = ? where id = ?").run(keyBundle, userId);
  db.close();
}

async function waitForImages(p: Page, count: number): Promise<void> {
  await p.waitForFunction(
    (n) =>
      [...document.querySelectorAll<HTMLImageElement>("[data-testid=shared-grid] img")].filter(
        (img) => img.complete && img.naturalWidth > 0,
      ).length === n,
    count,
  );
}

/** Opens the viewer on a file, clicks Download and returns the saved bytes. */
async function downloadFromViewer(p: Page, name: string): Promise<Buffer> {
  await p.click(`[data-testid=shared-grid] .tile[aria-label="${name}"]`);
  await p.waitForSelector("[data-testid=shared-viewer] img");
  const [download] = await Promise.all([
    p.waitForEvent("download"),
    p.click("[data-testid=shared-viewer] button:has-text('Download')"),
  ]);
  expect(download.suggestedFilename()).toBe(name);
  const saved = path.join(shotsDir, `downloaded-${shot}-${name}`);
  await download.saveAs(saved);
  return readFileSync(saved);
}

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true });
  for (const name of readdirSync(shotsDir)) rmSync(path.join(shotsDir, name), { recursive: true });
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-web-sharing-"));
  buildWeb(webDir);
  // Its own build directory: web.test.ts empties packages/web/dist while it runs.
  server = await startServer({ webDir, logLevel: "info" });
  browser = await launchChromium();
  lake = await makeJpeg(1200, 900, "#1d6fa5");
  pier = await makeJpeg(800, 1000, "#a5431d");
  alice = await sdkAccount(server.url, ALICE.email, ALICE.password);
  bob = await sdkAccount(server.url, BOB.email, BOB.password);
  albumId = (await alice.library.createAlbum(ALBUM)).id;
  const summary = await alice.upload([jpegSource("lake.jpg", lake)], sharpHooks, { albumId });
  expect(summary.uploaded).toHaveLength(1);
  lakeId = summary.uploaded[0]!.fileId;
  await alice.sharing.share(albumId, BOB.email, "contributor");
  fakePublicKeys = await signPublicKeyBundle(await generateIdentity(), bob.session!.userId);
}, 300_000);

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe("sharing in the browser against a real server", { timeout: 300_000 }, () => {
  it("Bob sees the album under Shared with me, with its thumbnail, and downloads identical bytes", async () => {
    bobPage = await freshPage();
    await logInInBrowser(bobPage, server.url, BOB.email, BOB.password);
    await bobPage.click("nav a:has-text('Shared with me')");
    await bobPage.waitForSelector(`[data-testid=shared-albums] button:has-text("${ALBUM}")`);
    expect(await bobPage.textContent("[data-testid=shared-albums]")).toContain(ALICE.email);
    await snap(bobPage, "bob-shared-with-me");
    await bobPage.click(`[data-testid=shared-albums] button:has-text("${ALBUM}")`);
    await waitForImages(bobPage, 1);
    // The shared album is laid out like one's own: under month and day headings, from the photo's own date.
    expect(await bobPage.locator("h2.month").allTextContents()).toEqual(["June 2024"]);
    expect(await bobPage.locator("h3.day").allTextContents()).toEqual(["Sat, Jun 1, 2024"]);
    expect(await bobPage.isVisible("[data-testid=shared-rejected]")).toBe(false);
    await snap(bobPage, "bob-shared-album");
    const bytes = await downloadFromViewer(bobPage, "lake.jpg");
    expect(Buffer.compare(bytes, lake)).toBe(0);
    await snap(bobPage, "bob-viewer");
    await bobPage.keyboard.press("Escape");
    await bobPage.waitForSelector("[data-testid=shared-viewer]", { state: "detached" });
  });

  it("Bob, a contributor, adds a photo from the browser; Alice's SDK sees it, signed by Bob", async () => {
    const file = path.join(shotsDir, "pier.jpg");
    writeFileSync(file, pier);
    await bobPage.setInputFiles("[data-testid=shared-file-input]", [file]);
    await waitForImages(bobPage, 2);
    const { files, rejected } = await alice.sharedFiles.list(albumId);
    expect(rejected).toEqual([]);
    expect(files.map((f) => f.metadata.name).sort()).toEqual(["lake.jpg", "pier.jpg"]);
    expect(files.find((f) => f.metadata.name === "pier.jpg")!.uploaderId).toBe(bob.session!.userId);
  });

  it("Bob chooses to see the shared album in his timeline: Alice's photo appears there, read-only", async () => {
    await bobPage.click("nav a:has-text('Shared with me')");
    await bobPage.check(`[data-testid=shared-albums] li:has-text("${ALBUM}") [data-testid=show-in-timeline]`);
    await bobPage.click("nav a:has-text('Photos')");
    await bobPage.waitForSelector('.tile[aria-label^="lake.jpg"] img');
    // Bob's own contribution is listed once, from his library.
    expect(await bobPage.locator('.tile[aria-label^="pier.jpg"]').count()).toBe(1);
    await snap(bobPage, "bob-timeline-with-shared");
    await bobPage.click('.tile[aria-label^="lake.jpg"]');
    await bobPage.waitForSelector(`[data-testid=viewer] :text("Shared by ${ALICE.email}")`);
    expect(await bobPage.isVisible("[data-testid=viewer] button:has-text('Delete')")).toBe(false);
    await bobPage.keyboard.press("Escape");
    await bobPage.click("nav a:has-text('Shared with me')");
    await bobPage.uncheck(
      `[data-testid=shared-albums] li:has-text("${ALBUM}") [data-testid=show-in-timeline]`,
    );
    await bobPage.click("nav a:has-text('Photos')");
    await bobPage.waitForSelector('.tile[aria-label^="lake.jpg"]', { state: "detached" });
    await bobPage.click(`nav a:has-text('Shared with me')`);
    await bobPage.click(`[data-testid=shared-albums] button:has-text("${ALBUM}")`);
    await waitForImages(bobPage, 2);
  });

  it("Alice's Share dialog lists Bob, shows the same safety number Bob's device computes, and a QR code", async () => {
    alicePage = await freshPage();
    await logInInBrowser(alicePage, server.url, ALICE.email, ALICE.password);
    await alicePage.click("nav a:has-text('Albums')");
    await alicePage.click(`.albums button:has-text("${ALBUM}")`);
    await alicePage.click("header button:has-text('Share')");
    await alicePage.waitForSelector(`[data-testid=members] li:has-text("${BOB.email}")`);
    expect(await alicePage.textContent("[data-testid=members]")).toContain("Can add photos");
    await snap(alicePage, "alice-share-dialog");
    await alicePage.click(`[data-testid=members] li:has-text("${BOB.email}") button:has-text('Verify')`);
    await alicePage.waitForSelector("[data-testid=safety-number] ol li");
    const shown = (await alicePage.locator("[data-testid=safety-number] ol li").allTextContents()).join(" ");
    const bobsSide = await bob.sharing.safetyNumber(ALICE.email);
    expect(shown).toBe(bobsSide.digits);
    await alicePage.waitForFunction(
      () =>
        (document.querySelector<HTMLImageElement>("[data-testid=safety-number] img")?.naturalWidth ?? 0) > 0,
    );
    await snap(alicePage, "alice-safety-number");
    // Bob sees the same number on his side, from the shared album.
    await bobPage.click(`button:has-text("Verify ${ALICE.email}")`);
    await bobPage.waitForSelector("[data-testid=safety-number] ol li");
    const bobShown = (await bobPage.locator("[data-testid=safety-number] ol li").allTextContents()).join(" ");
    expect(bobShown).toBe(shown);
    await snap(bobPage, "bob-safety-number");
    await bobPage.click(`button:has-text("Verify ${ALICE.email}")`);
  });

  it("a key the server swaps blocks sharing with a clear warning until Alice re-verifies", async () => {
    await alicePage.click("[data-testid=share-dialog] [role=tab]:has-text('People')");
    const original = swapKeysOf(bob.session!.userId);
    await alicePage.fill("#share-email", BOB.email);
    await alicePage.selectOption("#share-role", "viewer");
    await alicePage.click("[data-testid=share-dialog] form button[type=submit]");
    await alicePage.waitForSelector("[data-testid=key-changed]");
    expect(await alicePage.textContent("[data-testid=key-changed]")).toContain("keys have changed");
    // Nothing was sealed to the substituted key: Bob is still a contributor.
    expect((await alice.sharing.members(albumId)).members).toMatchObject([{ role: "contributor" }]);
    await snap(alicePage, "alice-key-changed");
    // Bob really reset nothing: with his real keys back, Alice trusts after comparing, and the share goes on.
    restoreKeys(bob.session!.userId, original);
    await alicePage.click("[data-testid=key-changed] button:has-text('I verified the new safety number')");
    await alicePage.waitForSelector("[data-testid=key-changed]", { state: "detached" });
    await alicePage.waitForSelector(`[data-testid=members] li:has-text("Can view")`);
    expect((await alice.sharing.members(albumId)).members).toMatchObject([{ role: "viewer" }]);
    await alice.sharing.share(albumId, BOB.email, "contributor");
  });

  it("the owner's shared view shows the photo Bob added", async () => {
    // Her own album view says a member added a photo and leads to it (it is Bob's, not in her library).
    await alicePage.waitForSelector("[data-testid=member-photos]");
    expect(await alicePage.textContent("[data-testid=member-photos]")).toMatch(/^1 \w+ added by people/);
    await alicePage.click("[data-testid=share-dialog] button:has-text('the shared view')");
    await waitForImages(alicePage, 2);
    expect(await alicePage.textContent("[data-testid=shared-album]")).toContain("as its members see it");
    await snap(alicePage, "alice-shared-view");
    await alicePage.click("button:has-text('Back to album')");
    await alicePage.click("header button:has-text('Share')");
  });

  it("Alice creates a public link from the dialog and sees it listed", async () => {
    await alicePage.click("[data-testid=share-dialog] [role=tab]:has-text('Public links')");
    await alicePage.selectOption("#link-expiry", "7");
    await alicePage.click("button:has-text('Create public link')");
    await alicePage.waitForSelector("[data-testid=created-link] input");
    uiLinkUrl = await alicePage.inputValue("[data-testid=created-link] input");
    expect(uiLinkUrl).toMatch(/\/s#[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}$/);
    await alicePage.waitForSelector("[data-testid=links] li");
    expect(await alicePage.textContent("[data-testid=links]")).toContain("expires");
    await snap(alicePage, "alice-public-link");
  });

  it("a fresh browser with no account opens a link: album name, photos, download equals the original", async () => {
    openLinkUrl = (await alice.links.create({ albumId })).url;
    const requests: string[] = [];
    const page = await freshPage(requests);
    await page.goto(openLinkUrl);
    await page.waitForSelector("[data-testid=link-title]");
    expect(await page.textContent("[data-testid=link-title]")).toBe(ALBUM);
    await waitForImages(page, 2);
    await snap(page, "link-gallery");
    const bytes = await downloadFromViewer(page, "lake.jpg");
    expect(Buffer.compare(bytes, lake)).toBe(0);
    await snap(page, "link-viewer");
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 390, height: 780 });
    await snap(page, "link-gallery-phone");
    await page.setViewportSize({ width: 1280, height: 860 });
    // Nothing but the server itself was contacted, and the secret (the fragment) was never sent.
    const secret = new URL(openLinkUrl).hash.slice(1);
    const origin = new URL(server.url).origin;
    expect(requests.length).toBeGreaterThan(3);
    for (const url of requests) {
      expect(url.startsWith(origin) || url.startsWith("blob:")).toBe(true);
      expect(url).not.toContain(secret);
    }
    // The link made in Alice's dialog opens too.
    await page.goto("about:blank");
    await page.goto(uiLinkUrl);
    await waitForImages(page, 2);
  });

  it("a password link asks for the password, refuses a wrong one, and hides Download when not allowed", async () => {
    const { url } = await alice.links.create(
      { albumId },
      { password: "correct horse battery", allowDownload: false },
    );
    const page = await freshPage();
    await page.goto(url);
    await page.waitForSelector("[data-testid=link-password]");
    await snap(page, "link-password");
    await page.fill("#link-pass", "wrong guess");
    await page.click("[data-testid=link-password] button[type=submit]");
    await page.waitForSelector("[data-testid=link-wrong-password]");
    await snap(page, "link-wrong-password");
    await page.fill("#link-pass", "correct horse battery");
    await page.click("[data-testid=link-password] button[type=submit]");
    await page.waitForSelector("[data-testid=link-title]");
    await waitForImages(page, 2);
    await page.click(`[data-testid=shared-grid] .tile[aria-label="lake.jpg"]`);
    await page.waitForSelector("[data-testid=shared-viewer] img");
    expect(await page.locator("[data-testid=shared-viewer] button:has-text('Download')").count()).toBe(0);
  });

  it("a revoked link shows the expired-or-revoked page", async () => {
    await alice.links.revoke(openLinkUrl);
    const page = await freshPage();
    await page.goto(openLinkUrl);
    await page.waitForSelector("[data-testid=link-gone]");
    expect(await page.textContent("[data-testid=link-gone]")).toContain("expired or was revoked");
    await snap(page, "link-revoked");
  });

  it("a link to a single file shows that file, named, and downloads it", async () => {
    const { url } = await alice.links.create({ fileId: lakeId });
    const page = await freshPage();
    await page.goto(url);
    await page.waitForSelector("[data-testid=link-title]");
    expect(await page.textContent("[data-testid=link-title]")).toBe("lake.jpg");
    await waitForImages(page, 1);
    expect(Buffer.compare(await downloadFromViewer(page, "lake.jpg"), lake)).toBe(0);
  });

  it("a record the server slips into the album is hidden from Bob, with a warning", async () => {
    const other = jpegSource("private.jpg", await makeJpeg(300, 200, "#333333"));
    const privateId = (await alice.upload([other], sharpHooks)).uploaded[0]!.fileId;
    const record = (await alice.library.file(privateId)).record;
    const db = new Database(path.join(server.dataDir, "umbra.sqlite"));
    db.prepare(
      "insert into album_files (album_id, file_id, user_id, wrapped_file_key, added_seq, key_version, content_digest, signature) values (?, ?, ?, ?, 999, 1, null, null)",
    ).run(albumId, privateId, alice.session!.userId, record.albums[0]!.wrappedFileKey);
    db.close();
    await bobPage.click("button[aria-label='Back to shared albums']");
    await bobPage.click(`[data-testid=shared-albums] button:has-text("${ALBUM}")`);
    await bobPage.waitForSelector("[data-testid=shared-rejected]");
    expect(await bobPage.textContent("[data-testid=shared-rejected]")).toContain(
      "1 item hidden: not signed by a member",
    );
    await waitForImages(bobPage, 2);
    await snap(bobPage, "bob-injected-record-hidden");
  });

  it("Bob leaves the album; Alice's member list is empty again", async () => {
    await bobPage.click("button:has-text('Leave album')");
    await bobPage.click("button:has-text('Leave'):not(:has-text('album'))");
    await bobPage.waitForSelector("text=Nothing has been shared with you yet.");
    expect((await alice.sharing.members(albumId)).members).toEqual([]);
    expect(problems).toEqual([]);
  });
});
