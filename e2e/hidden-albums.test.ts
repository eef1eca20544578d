import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
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

// Hidden albums (issue 15): out of Albums, their photos out of Photos and Search, on every device of the user,
// and the hidden state kept where the server cannot read it (the sealed library checkpoint).
const EMAIL = "hidden.e2e@example.com";
const PASSWORD = "hidden albums 7 lighthouse";

let webDir: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let albumId = "";
let hiddenFileId = "";
let sharedAlbumId = "";
let sharedFileId = "";
const problems: string[] = [];

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-hidden-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  const client = await sdkAccount(server.url, EMAIL, PASSWORD);
  const summary = await client.upload(
    [
      jpegSource("beach.jpg", await makeJpeg(640, 480, "#3377aa")),
      jpegSource("xray-scan.jpg", await makeJpeg(480, 640, "#777777")),
    ],
    sharpHooks,
  );
  hiddenFileId = summary.uploaded.find((u) => u.source.name === "xray-scan.jpg")!.fileId;
  albumId = (await client.library.createAlbum("Medical")).id;
  await client.library.addToAlbum(hiddenFileId, albumId);
  await client.library.flush();
  // An album a friend shares with the user: hiding it must work the same from "Shared with me".
  const friend = await sdkAccount(server.url, "friend.hidden@example.com", "friend shares 9 kites");
  sharedAlbumId = (await friend.library.createAlbum("Office party")).id;
  const shared = await friend.upload(
    [jpegSource("party.jpg", await makeJpeg(600, 400, "#aa3377"))],
    sharpHooks,
    {
      albumId: sharedAlbumId,
    },
  );
  sharedFileId = shared.uploaded[0]!.fileId;
  await friend.sharing.share(sharedAlbumId, EMAIL, "viewer");
  browser = await launchChromium();
  page = await (await strictContext(browser, problems)).newPage();
  await logInInBrowser(page, server.url, EMAIL, PASSWORD);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

async function go(target: Page, hash: string, ready: string): Promise<void> {
  await target.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await target.waitForSelector(ready);
}

const tileIds = (target: Page) =>
  target
    .locator("main.content .tile[data-file-id]")
    .evaluateAll((tiles) => tiles.map((t) => t.dataset.fileId));

describe("hidden albums", () => {
  it("hiding an album takes it off the list and its photos out of Photos and Search; Undo brings them back", async () => {
    await page.waitForFunction(
      () => document.querySelectorAll("main.content .tile[data-file-id]").length === 2,
    );
    await go(page, `#/albums/${albumId}`, "h1:has-text('Medical')");
    await page.click("button:has-text('Hide album')");
    await page.waitForSelector("[data-testid=album-hidden]");
    // The album itself still shows its photo: hidden means "only seen here".
    await page.waitForSelector(`main.content .tile[data-file-id="${hiddenFileId}"]`);
    await page.screenshot({ path: path.join(artifactsDir, "hidden-album.png") });

    await go(page, "#/", "main.content .tile[data-file-id]");
    await page.waitForFunction(
      () => document.querySelectorAll("main.content .tile[data-file-id]").length === 1,
    );
    expect(await tileIds(page)).not.toContain(hiddenFileId);

    await go(page, "#/albums", "#albums-title");
    expect(await page.locator(".albums .name").allTextContents()).not.toContain("Medical");
    await page.waitForSelector("button:has-text('Show 1 hidden album')");

    await go(page, "#/search", "#search-q");
    await page.fill("#search-q", "beach");
    await page.waitForSelector("main.content .tile[data-file-id]");
    await page.fill("#search-q", "xray");
    await page.waitForFunction(
      () => document.querySelectorAll("main.content .tile[data-file-id]").length === 0,
    );

    // Undo from the toast: shown again at once.
    await go(page, `#/albums/${albumId}`, "h1:has-text('Medical')");
    await page.click("button:has-text('Show album')");
    await page.waitForFunction(() => !document.querySelector("[data-testid=album-hidden]"));
    await page.click("button:has-text('Hide album')");
    await page.click(".toast button:has-text('Undo')");
    await page.waitForFunction(() => !document.querySelector("[data-testid=album-hidden]"));
    await page.click("button:has-text('Hide album')");
    await page.waitForSelector("[data-testid=album-hidden]");
  }, 180_000);

  it("another device of the user sees the album hidden, and never shows its photo while the library loads", async () => {
    const context = await strictContext(browser, problems);
    // Records every tile that ever appears, from the first paint on.
    await context.addInitScript(() => {
      const seen = new Set<string>();
      (window as unknown as { seenTiles: Set<string> }).seenTiles = seen;
      new MutationObserver(() => {
        for (const tile of document.querySelectorAll<HTMLElement>(".tile[data-file-id]"))
          seen.add(tile.dataset.fileId!);
      }).observe(document, { subtree: true, childList: true });
    });
    const other = await context.newPage();
    await logInInBrowser(other, server.url, EMAIL, PASSWORD);
    await other.waitForSelector("main.content .tile[data-file-id]");
    expect(await tileIds(other)).toHaveLength(1);
    const seen = await other.evaluate(() => [...(window as unknown as { seenTiles: Set<string> }).seenTiles]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(hiddenFileId);

    await go(other, "#/albums", "#albums-title");
    await other.click("button:has-text('Show 1 hidden album')");
    await other.waitForSelector(".albums .name:has-text('Medical')");
    await other.screenshot({ path: path.join(artifactsDir, "hidden-albums-list.png") });
    await other.click(".albums button:has-text('Medical')");
    await other.click("button:has-text('Show album')");
    await go(other, "#/", "main.content .tile[data-file-id]");
    await other.waitForFunction(
      () => document.querySelectorAll("main.content .tile[data-file-id]").length === 2,
    );
    await context.close();
    expect(problems).toEqual([]);
  }, 180_000);

  it("an album shared with the user hides from Shared with me: its photos leave the timeline, Undo and Show bring them back", async () => {
    const shared = (name: string) => `[data-testid=shared-albums] li:has-text("${name}")`;
    await go(page, "#/shared", `${shared("Office party")} [data-testid=show-in-timeline]`);
    await page.check(`${shared("Office party")} [data-testid=show-in-timeline]`);
    await go(page, "#/", "main.content .tile[data-file-id]");
    await page.waitForSelector(`main.content .tile[data-file-id="${sharedFileId}"]`);

    await go(page, "#/shared", shared("Office party"));
    await page.click(`${shared("Office party")} [data-testid=hide-shared-album]`);
    await page.waitForFunction(() => !document.querySelector("[data-testid=shared-albums] .name"));
    expect(await page.textContent("[data-testid=shared-albums]")).toContain(
      "Every album shared with you is hidden.",
    );
    await page.click(".toast:has-text('Album hidden: it and its photos') button:has-text('Undo')");
    await page.waitForSelector(shared("Office party"));
    await page.click(`${shared("Office party")} [data-testid=hide-shared-album]`);
    await page.waitForSelector("button:has-text('Show 1 hidden album')");

    await go(page, "#/", "main.content .tile[data-file-id]");
    await page.waitForFunction(
      (id) =>
        document.querySelectorAll("main.content .tile[data-file-id]").length === 2 &&
        !document.querySelector(`main.content .tile[data-file-id="${id}"]`),
      sharedFileId,
    );
    // Opened directly, the hidden album still shows its photo.
    await go(page, `#/shared/${sharedAlbumId}`, "[data-testid=shared-grid] .tile");

    await go(page, "#/shared", "button:has-text('Show 1 hidden album')");
    await page.click("button:has-text('Show 1 hidden album')");
    await page.waitForSelector(`${shared("Office party")} [data-testid=shared-album-hidden]`);
    await page.screenshot({ path: path.join(artifactsDir, "hidden-shared-album.png") });
    await page.click(`${shared("Office party")} [data-testid=hide-shared-album]`);
    await page.waitForFunction(() => !document.querySelector("[data-testid=shared-album-hidden]"));
    await go(page, "#/", `main.content .tile[data-file-id="${sharedFileId}"]`);
    expect(problems).toEqual([]);
  }, 180_000);
});
