import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MediaHooks } from "@umbra/client";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import {
  jpegSource,
  logInInBrowser,
  makeJpeg,
  PAGE_WAIT_MS,
  sdkAccount,
  strictContext,
} from "./sharing-helpers.js";

const EMAIL = "layout.e2e@example.com";
const PASSWORD = "justified rows 7 meadow";

// Two days of one month (a landscape day and a portrait day) and a day of the month before.
const SEED = [
  { name: "june2-a.jpg", w: 600, h: 800, at: "2024-06-02T15:00:00.000Z" },
  { name: "june2-b.jpg", w: 600, h: 800, at: "2024-06-02T14:00:00.000Z" },
  { name: "june1-a.jpg", w: 800, h: 600, at: "2024-06-01T15:00:00.000Z" },
  { name: "june1-b.jpg", w: 800, h: 600, at: "2024-06-01T14:00:00.000Z" },
  { name: "june1-c.jpg", w: 800, h: 600, at: "2024-06-01T13:00:00.000Z" },
  { name: "may10-a.jpg", w: 800, h: 600, at: "2024-05-10T12:00:00.000Z" },
  { name: "may10-b.jpg", w: 600, h: 800, at: "2024-05-10T11:00:00.000Z" },
];

// Each photo its own colour: identical bytes would be one file (uploads are deduplicated).
const COLOURS = ["#a93226", "#2e86c1", "#1e8449", "#b7950b", "#6c3483", "#ca6f1e", "#17202a"];

/** Thumbnails made with sharp, each photo dated as SEED says (the upload pipeline's extract step). */
const datedHooks: MediaHooks = {
  async extract(source) {
    const bytes = Buffer.from(await new Response(source.open()).arrayBuffer());
    const { width, height } = await sharp(bytes).metadata();
    const scaled = (max: number) =>
      sharp(bytes).resize(max, max, { fit: "inside", withoutEnlargement: true }).jpeg().toBuffer();
    const [grid, preview] = await Promise.all([scaled(256), scaled(1440)]);
    const takenAt = SEED.find((s) => s.name === source.name)!.at;
    return {
      info: { mime: "image/jpeg", width, height, takenAt },
      thumbnails: { grid: new Uint8Array(grid), preview: new Uint8Array(preview) },
    };
  },
};

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
  const sources = await Promise.all(
    SEED.map(async (s, i) => jpegSource(s.name, await makeJpeg(s.w, s.h, COLOURS[i]!))),
  );
  await client.upload(sources, datedHooks, { albumId });
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
