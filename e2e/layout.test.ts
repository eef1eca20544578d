import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED, uploadDatedPhotos } from "./dated-photos.js";
import { artifactsDir, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import { logInInBrowser, PAGE_WAIT_MS, sdkAccount, strictContext } from "./sharing-helpers.js";

const EMAIL = "layout.e2e@example.com";
const PASSWORD = "justified rows 7 meadow";

let webDir: string;
let server: RunningServer;
let browser: Browser;
let albumId = "";
const problems: string[] = [];

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-layout-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  const client = await sdkAccount(server.url, EMAIL, PASSWORD);
  albumId = (await client.library.createAlbum("Trip")).id;
  await uploadDatedPhotos(client, albumId);
  browser = await launchChromium();
  mkdirSync(artifactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every tile's name (from its label) and box, once all seven are laid out. */
async function tiles(page: Page): Promise<Box[]> {
  await page.waitForFunction(
    (n) => document.querySelectorAll("main.content .tile").length === n,
    SEED.length,
  );
  return page.$$eval("main.content .tile", (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const name = (el.getAttribute("aria-label") ?? "").split(",")[0]!;
      return { name, x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

const byName = (boxes: Box[], name: string) => boxes.find((b) => b.name === name)!;

async function open(width: number, height: number): Promise<Page> {
  const context = await strictContext(browser, problems);
  context.setDefaultTimeout(PAGE_WAIT_MS);
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  if (width >= 700) await logInInBrowser(page, server.url, EMAIL, PASSWORD);
  else {
    // A phone hides the section list behind its menu button: wait for the library instead.
    await page.goto(`${server.url}/#/login`);
    await page.fill("#li-email", EMAIL);
    await page.fill("#li-password", PASSWORD);
    await page.click("form button[type=submit]");
    await page.waitForSelector("main.content[aria-busy=false]");
  }
  return page;
}

describe("the justified timeline", () => {
  it("at 1280 px: the month's days share a row, photos keep their aspect ratio, headings per day", async () => {
    const page = await open(1280, 860);
    const boxes = await tiles(page);
    await page.screenshot({ path: path.join(artifactsDir, "layout-1280.png") });
    // 2 June and 1 June sit side by side in one row; May starts below under its own month heading.
    expect(byName(boxes, "june1-a.jpg").y).toBeCloseTo(byName(boxes, "june2-a.jpg").y, 0);
    expect(byName(boxes, "june1-a.jpg").x).toBeGreaterThan(byName(boxes, "june2-b.jpg").x);
    expect(byName(boxes, "may10-a.jpg").y).toBeGreaterThan(byName(boxes, "june1-a.jpg").y + 50);
    const landscape = byName(boxes, "june1-a.jpg");
    const portrait = byName(boxes, "june2-a.jpg");
    expect(landscape.width / landscape.height).toBeGreaterThan(1.2);
    expect(portrait.width / portrait.height).toBeLessThan(0.85);
    const headings = await page.$$eval("main.content h2, main.content h3", (els) =>
      els.map((e) => e.textContent),
    );
    expect(headings.filter((h) => /June|May/.test(h ?? "")).length).toBeGreaterThanOrEqual(2);
    expect(headings.length).toBeGreaterThanOrEqual(5); // two months, three days
    await page.context().close();
  }, 180_000);

  it("at 390 px: a phone fits several photos per row, days still share rows", async () => {
    const page = await open(390, 844);
    const boxes = await tiles(page);
    await page.screenshot({ path: path.join(artifactsDir, "layout-390.png") });
    const rowOf = (name: string) => Math.round(byName(boxes, name).y);
    // The two portraits of 2 June and the first photo of 1 June share the first row.
    expect(rowOf("june2-b.jpg")).toBe(rowOf("june2-a.jpg"));
    expect(rowOf("june1-a.jpg")).toBe(rowOf("june2-a.jpg"));
    for (const b of boxes) expect(b.x + b.width).toBeLessThanOrEqual(390);
    await page.context().close();
  }, 180_000);

  it("the density control and Ctrl + wheel resize the photos, and the choice is kept", async () => {
    const page = await open(1280, 860);
    const before = byName(await tiles(page), "june1-a.jpg").height;
    await page.click("button[aria-label='Bigger photos']");
    await page.waitForFunction((h) => {
      const tile = [...document.querySelectorAll(".tile")].find((t) =>
        t.getAttribute("aria-label")?.startsWith("june1-a"),
      );
      return (tile?.getBoundingClientRect().height ?? 0) > h + 20;
    }, before);
    // A reload locks the vault (its key lived in memory only); unlocking finds the density it was left at.
    await page.reload();
    await page.fill("#ul-password", PASSWORD);
    await page.click("form button[type=submit]");
    await page.waitForSelector("main.content[aria-busy=false]");
    const kept = byName(await tiles(page), "june1-a.jpg").height;
    expect(kept).toBeGreaterThan(before + 20);
    // Ctrl + wheel towards the user makes photos smaller again.
    const grid = await page.$("[data-testid=grid]");
    const box = (await grid!.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, 200);
    await page.keyboard.up("Control");
    await page.waitForFunction((h) => {
      const tile = [...document.querySelectorAll(".tile")].find((t) =>
        t.getAttribute("aria-label")?.startsWith("june1-a"),
      );
      return (tile?.getBoundingClientRect().height ?? 1e9) < h - 20;
    }, kept);
    await page.context().close();
  }, 180_000);

  it("on a touch screen, spreading two fingers makes the photos bigger and pinching smaller", async () => {
    const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true });
    context.setDefaultTimeout(PAGE_WAIT_MS);
    const page = await context.newPage();
    await page.goto(`${server.url}/#/login`);
    await page.fill("#li-email", EMAIL);
    await page.fill("#li-password", PASSWORD);
    await page.click("form button[type=submit]");
    await page.waitForSelector("main.content[aria-busy=false]");
    // The photos' total area: a bigger density gives fewer photos per row, so bigger ones.
    const area = () =>
      page.evaluate(() =>
        [...document.querySelectorAll(".tile")].reduce((sum, t) => {
          const r = t.getBoundingClientRect();
          return sum + r.width * r.height;
        }, 0),
      );
    const box = (await (await page.$("[data-testid=grid]"))!.boundingBox())!;
    const cdp = await context.newCDPSession(page);
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    /** Two touch points `from` px apart, moved in steps to `to` px apart, then lifted. */
    async function twoFingers(from: number, to: number) {
      const points = (d: number) => [
        { x: cx - d / 2, y: cy, id: 1 },
        { x: cx + d / 2, y: cy, id: 2 },
      ];
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: points(from) });
      for (let i = 1; i <= 8; i++)
        await cdp.send("Input.dispatchTouchEvent", {
          type: "touchMove",
          touchPoints: points(from + ((to - from) * i) / 8),
        });
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    }
    const before = await area();
    await twoFingers(60, 220);
    const bigger = await page.waitForFunction((a) => {
      const now = [...document.querySelectorAll(".tile")].reduce((sum, t) => {
        const r = t.getBoundingClientRect();
        return sum + r.width * r.height;
      }, 0);
      return now > a * 1.2 ? now : false;
    }, before);
    const biggerArea = (await bigger.jsonValue()) as number;
    await twoFingers(220, 60);
    await page.waitForFunction(
      (a) =>
        [...document.querySelectorAll(".tile")].reduce((sum, t) => {
          const r = t.getBoundingClientRect();
          return sum + r.width * r.height;
        }, 0) <
        a / 1.2,
      biggerArea,
    );
    // The page itself was not zoomed: the pinch went to the grid.
    expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1);
    await context.close();
  }, 180_000);

  it("albums use the same justified layout", async () => {
    const page = await open(1280, 860);
    await page.evaluate((id) => {
      window.location.hash = `#/albums/${id}`;
    }, albumId);
    const boxes = await tiles(page);
    const landscape = byName(boxes, "may10-a.jpg");
    expect(landscape.width / landscape.height).toBeGreaterThan(1.2);
    expect(byName(boxes, "june1-a.jpg").y).toBeCloseTo(byName(boxes, "june2-a.jpg").y, 0);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 180_000);
});
