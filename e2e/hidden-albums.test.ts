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
});
