import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED, uploadDatedPhotos } from "./dated-photos.js";
import { artifactsDir, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import { logInInBrowser, sdkAccount, strictContext } from "./sharing-helpers.js";

const EMAIL = "selection.e2e@example.com";
const PASSWORD = "many at once 4 orchard";

let webDir: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let albumId = "";
const problems: string[] = [];

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-selection-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  const client = await sdkAccount(server.url, EMAIL, PASSWORD);
  albumId = (await client.library.createAlbum("Picks")).id;
  await uploadDatedPhotos(client);
  browser = await launchChromium();
  page = await (await strictContext(browser, problems)).newPage();
  mkdirSync(artifactsDir, { recursive: true });
  await logInInBrowser(page, server.url, EMAIL, PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

const check = (name: string) => `[data-testid=tile-check][aria-label="Select ${name}"]`;
const tile = (name: string) => `main.content .tile[aria-label^="${name},"]`;

async function tileCount(n: number): Promise<void> {
  await page.waitForFunction((want) => document.querySelectorAll("main.content .tile").length === want, n);
}

async function selected(text: string | null): Promise<void> {
  if (text === null) await page.waitForSelector("[data-testid=selection-bar]", { state: "detached" });
  else
    await page.waitForFunction(
      (want) => document.querySelector("[data-testid=selection-count]")?.textContent === want,
      text,
    );
}

async function toast(pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) =>
      [...document.querySelectorAll("[data-testid=toast]")].some((t) =>
        new RegExp(source).test(t.textContent ?? ""),
      ),
    pattern.source,
  );
}

async function go(hash: string, tiles: number): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await tileCount(tiles);
}

describe("selecting many photos", () => {
  it("a tile's check, Shift ranges, Escape, Ctrl+A, a whole day or month, and dragging", async () => {
    await tileCount(SEED.length);
    await page.click(check("june2-a.jpg"));
    await selected("1 selected");
    // While something is selected, a click on a photo selects it instead of opening it.
    await page.click(tile("may10-b.jpg"));
    await selected("2 selected");
    expect(await page.$("[role=dialog]")).toBeNull();
    await page.click(check("may10-b.jpg"));
    await selected("1 selected");
    await page.keyboard.press("Escape");
    await selected(null);
    // Shift extends from the last photo clicked.
    await page.click(check("june2-a.jpg"));
    await page.click(check("june1-b.jpg"), { modifiers: ["Shift"] });
    await selected("4 selected");
    await page.screenshot({ path: path.join(artifactsDir, "selection-bar.png") });
    await page.keyboard.press("Escape");
    await selected(null);

    await page.keyboard.press("Control+a");
    await selected(`${SEED.length} selected`);
    await page.click("[data-testid=selection-bar] button[aria-label='Clear selection']");
    await selected(null);

    await page.click("button[aria-label='Select all of Sat, Jun 1, 2024']");
    await selected("3 selected");
    await page.click("button[aria-label='Select all of Sat, Jun 1, 2024']");
    await selected(null);
    await page.click("button[aria-label='Select all of June 2024']");
    await selected("5 selected");
    await page.keyboard.press("Escape");
    await selected(null);

    // A drag from one photo to another selects the photos the rectangle crosses, and opens none.
    const from = (await page.$(tile("june2-a.jpg")))!;
    const to = (await page.$(tile("june1-a.jpg")))!;
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 40, a.y + a.height / 2 + 5, { steps: 4 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2 + 10, { steps: 8 });
    await page.mouse.up();
    await selected("3 selected");
    expect(await page.$("[role=dialog]")).toBeNull();
    await page.keyboard.press("Escape");
    await selected(null);
  }, 180_000);

  it("favorites, adds to an album (saying what was already there), removes from it with undo", async () => {
    await page.click(check("june2-a.jpg"));
    await page.click(check("june2-b.jpg"));
    await page.click("[data-testid=selection-bar] button:has-text('Favorite')");
    await page.waitForSelector(`${tile("june2-a.jpg")} .fav`);
    await page.waitForSelector(`${tile("june2-b.jpg")} .fav`);
    await toast(/Added 2 items to favorites/);
    await page.keyboard.press("Escape");

    await page.click(check("june1-a.jpg"));
    await page.click(check("june1-b.jpg"));
    await page.click("[data-testid=selection-bar] button:has-text('Add to album')");
    await page.click("[role=menu] [role=menuitem]:has-text('Picks')");
    await toast(/Added 2 items to “Picks”/);
    await selected(null);
    await page.click(check("june1-a.jpg"));
    await page.click("[data-testid=selection-bar] button:has-text('Add to album')");
    await page.click("[role=menu] [role=menuitem]:has-text('Picks')");
    await toast(/Already in “Picks”/);

    await go(`#/albums/${albumId}`, 2);
    await page.click(check("june1-a.jpg"));
    await page.click("[data-testid=selection-bar] button:has-text('Remove from album')");
    await tileCount(1);
    await page.click("[data-testid=toast] button:has-text('Undo')");
    await tileCount(2);
  }, 180_000);

  it("downloads several photos as one zip made in the browser, streamed to the file as it is made", async () => {
    await go("#/", SEED.length);
    for (const name of ["june2-a.jpg", "june1-a.jpg", "may10-a.jpg"]) await page.click(check(name));
    await selected("3 selected");
    // The last file's ciphertext is held back until the download has begun: a zip assembled in memory first
    // would never start, so this only passes when the zip streams.
    let release!: () => void;
    const lastFileHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    let contentReads = 0;
    const pattern = "**/api/files/*/content";
    await page.context().route(pattern, async (route) => {
      if (++contentReads === 3) await lastFileHeld;
      await route.continue();
    });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("[data-testid=selection-bar] button:has-text('Download')"),
    ]);
    expect(download.suggestedFilename()).toBe("umbra-3-items.zip");
    release();
    const file = path.join(webDir, "download.zip");
    await download.saveAs(file);
    await page.context().unroute(pattern);
    expect(contentReads).toBe(3);
    const zip = readFileSync(file);
    // The central directory lists each entry once (signature PK\1\2), and the names are the photos'.
    let entries = 0;
    for (
      let i = zip.indexOf("PK\x01\x02", 0, "latin1");
      i >= 0;
      i = zip.indexOf("PK\x01\x02", i + 4, "latin1")
    )
      entries++;
    expect(entries).toBe(3);
    for (const name of ["june2-a.jpg", "june1-a.jpg", "may10-a.jpg"]) expect(zip.includes(name)).toBe(true);
    // Each entry is the original's JPEG bytes (stored): three JPEG starts.
    expect(zip.toString("latin1").split("\xff\xd8\xff").length - 1).toBeGreaterThanOrEqual(3);
    await page.keyboard.press("Escape");
  }, 180_000);

  it("archives out of the timeline, deletes with Delete and brings them back with Undo", async () => {
    await page.click(check("may10-a.jpg"));
    await page.click("[data-testid=selection-bar] button:has-text('Archive')");
    await tileCount(SEED.length - 1);
    await toast(/Archived 1 item/);
    await go("#/archive", 1);
    expect(await page.$(tile("may10-a.jpg"))).not.toBeNull();

    await go("#/", SEED.length - 1);
    await page.click(check("june2-a.jpg"));
    await page.click(check("june2-b.jpg"));
    await page.keyboard.press("Delete");
    await tileCount(SEED.length - 3);
    await toast(/Moved 2 items to trash/);
    // The archive's toast is still up with its own Undo: this one is the delete's.
    await page.click("[data-testid=toast]:has-text('to trash') button:has-text('Undo')");
    await tileCount(SEED.length - 1);
    expect(await page.$(tile("may10-a.jpg"))).toBeNull();
    expect(problems).toEqual([]);
  }, 180_000);
});
