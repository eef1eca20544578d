import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MediaHooks } from "@umbra/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  artifactsDir,
  buildWeb,
  launchChromium,
  type RunningServer,
  serverFiles,
  startServer,
} from "./harness.js";
import {
  jpegSource,
  logInInBrowser,
  makeJpeg,
  sdkAccount,
  sharpHooksWith,
  strictContext,
} from "./sharing-helpers.js";

const EMAIL = "places.e2e@example.com";
const PASSWORD = "cartographer 9 lantern";

// Two photos by the Seine, one in Tokyo, one in the middle of the Pacific, one without a position.
const SEED = [
  { name: "tower.jpg", colour: "#a93226", gps: { lat: 48.8584, lon: 2.2945 } },
  { name: "museum.jpg", colour: "#2e86c1", gps: { lat: 48.8606, lon: 2.3376 } },
  { name: "crossing.jpg", colour: "#1e8449", gps: { lat: 35.6595, lon: 139.7005 } },
  { name: "open-sea.jpg", colour: "#b7950b", gps: { lat: -30, lon: -120 } },
  { name: "nowhere.jpg", colour: "#6c3483", gps: undefined },
];

/** Thumbnails made with sharp, and each photo's position as SEED says (what EXIF GPS would have given). */
const placedHooks: MediaHooks = sharpHooksWith((name) => ({
  takenAt: "2024-06-01T12:00:00.000Z",
  gps: SEED.find((s) => s.name === name)!.gps,
}));

let webDir: string;
let server: RunningServer;
let browser: Browser;
const problems: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-places-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  const client = await sdkAccount(server.url, EMAIL, PASSWORD);
  const sources = await Promise.all(
    SEED.map(async (s) => jpegSource(s.name, await makeJpeg(800, 600, s.colour))),
  );
  await client.upload(sources, placedHooks);
  browser = await launchChromium();
  mkdirSync(artifactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

async function open(): Promise<Page> {
  const context = await strictContext(browser, problems, requests);
  const page = await context.newPage();
  await logInInBrowser(page, server.url, EMAIL, PASSWORD);
  return page;
}

async function search(page: Page, query: string): Promise<string[]> {
  await page.fill("#search-q", query);
  await page.waitForFunction(
    (q) => document.querySelector("[data-testid=search-count]")?.textContent?.match(/\d+ result/) && q,
    query,
  );
  // The count settles once the places table is in; wait for the grid to agree with it.
  await page.waitForFunction(() => {
    const n = Number(
      document.querySelector("[data-testid=search-count]")?.textContent?.match(/(\d+) result/)?.[1],
    );
    return document.querySelectorAll("main.content .tile").length === n;
  });
  return page.$$eval("main.content .tile", (els) =>
    els.map((el) => el.getAttribute("aria-label")!.split(",")[0]!),
  );
}

describe("places, named and drawn on the device", () => {
  it("search finds photos by city and by country; the viewer names the place and shows it on a map", async () => {
    const page = await open();
    await page.click("nav >> text=Search");
    await page.waitForSelector("#search-q");
    await expect
      .poll(() => search(page, "Paris"), { timeout: 60_000 })
      .toEqual(expect.arrayContaining(["tower.jpg", "museum.jpg"]));
    expect((await search(page, "Paris")).sort()).toEqual(["museum.jpg", "tower.jpg"]);
    expect((await search(page, "France")).sort()).toEqual(["museum.jpg", "tower.jpg"]);
    expect(await search(page, "Japan")).toEqual(["crossing.jpg"]);
    expect(await search(page, "tokyo")).toEqual(["crossing.jpg"]);

    await search(page, "Paris");
    await page.click('main.content .tile[aria-label^="tower.jpg"]');
    await page.click("[data-testid=info-button]");
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=info-place]")?.textContent?.includes("Paris, France"),
    );
    await page.waitForSelector("[data-testid=info] [data-testid=world-map] path.land");
    expect(await page.locator("[data-testid=info] [data-testid=map-dot]").count()).toBe(1);
    await page.screenshot({ path: "/tmp/places-viewer-info.png" });
    await page.keyboard.press("Escape");
    await page.context().close();
  });

  it("the Places screen clusters photos on a world map and lists places; a cluster shows its photos", async () => {
    const page = await open();
    await page.click("nav >> text=Places");
    await page.waitForSelector("[data-testid=world-map] path.land");
    await page.waitForSelector("[data-testid=place-list]");
    // The whole world: Paris's two photos are one cluster, Tokyo and the open sea one each.
    const clusters = page.locator("[data-testid=map-cluster]");
    await expect.poll(() => clusters.count()).toBe(3);
    const paris = page.locator('[data-testid=map-cluster][aria-label="2 photos near Paris, France"]');
    expect(await paris.count()).toBe(1);
    expect(await paris.locator("text").textContent()).toBe("2");
    const list = await page.$$eval("[data-testid=place-list] button", (els) =>
      els.map((el) => el.textContent!.replace(/\s+/g, " ").trim()),
    );
    expect(list).toEqual(["Paris, France 2", "Tokyo, Japan 1", "Far from any city 1"]);
    // Unfiltered, the grid holds every photo with a position.
    await page.waitForFunction(() => document.querySelectorAll("main.content .tile").length === 4);
    await page.screenshot({ path: "/tmp/places-map.png" });

    await paris.click();
    await page.waitForSelector("[data-testid=places-chosen]");
    expect(await page.textContent("[data-testid=places-chosen] h2")).toContain("Paris, France · 2 photos");
    await page.waitForFunction(() => document.querySelectorAll("main.content .tile").length === 2);
    const names = await page.$$eval("main.content .tile", (els) =>
      els.map((el) => el.getAttribute("aria-label")!.split(",")[0]!).sort(),
    );
    expect(names).toEqual(["museum.jpg", "tower.jpg"]);
    await page.screenshot({ path: "/tmp/places-map-paris.png" });

    // Zoomed in on Paris with the wheel (the point under the pointer stays put), its two photos split apart.
    const nearParis = page.locator('[data-testid=map-cluster][aria-label*="Paris"]').first();
    for (let i = 0; i < 34; i++) {
      const box = (await nearParis.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -100);
    }
    await expect.poll(() => clusters.count()).toBe(4);
    await page.screenshot({ path: "/tmp/places-map-zoomed.png" });
    await page.click('button[aria-label="Whole world"]');
    await expect.poll(() => clusters.count()).toBe(3);

    // The list is the map's text alternative: a place's button shows that place's photos.
    await page.click('[data-testid=place-list] button:has-text("Tokyo, Japan")');
    await page.waitForFunction(() => document.querySelectorAll("main.content .tile").length === 1);
    await page.context().close();
  });

  it("on a phone the map and the list stack above the photos", async () => {
    const context = await strictContext(browser, problems, requests);
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/#/login`);
    await page.fill("#li-email", EMAIL);
    await page.fill("#li-password", PASSWORD);
    await page.click("form button[type=submit]");
    await page.waitForSelector("main.content[aria-busy=false]");
    await page.goto(`${server.url}/#/places`);
    await page.waitForSelector("[data-testid=world-map] path.land");
    await page.waitForSelector("[data-testid=place-list]");
    const map = (await page.locator("[data-testid=world-map]").boundingBox())!;
    const list = (await page.locator("[data-testid=place-list]").boundingBox())!;
    expect(map.width).toBeGreaterThan(300);
    expect(map.x + map.width).toBeLessThanOrEqual(390);
    expect(list.y).toBeGreaterThanOrEqual(map.y + map.height);
    await page.screenshot({ path: "/tmp/places-390.png" });
    await context.close();
  });

  it("asked no other origin for anything, and the server holds no place name", () => {
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    const origin = new URL(server.url).origin;
    const elsewhere = requests.filter(
      (u) => !u.startsWith("blob:") && !u.startsWith("data:") && new URL(u).origin !== origin,
    );
    expect(elsewhere).toEqual([]);
    for (const { file, bytes } of serverFiles(server.dataDir)) {
      const text = bytes.toString("latin1");
      expect(text.includes("Paris") || text.includes("48.858"), file).toBe(false);
    }
  });
});
