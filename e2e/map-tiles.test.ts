import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MediaHooks } from "@umbra/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import {
  jpegSource,
  logInInBrowser,
  makeJpeg,
  PAGE_WAIT_MS,
  sdkAccount,
  sharpHooksWith,
} from "./sharing-helpers.js";

// The optional raster tiles of Places (UMBRA_MAP_TILE_URL): a tiny tile server on another port counts what it is
// asked for. Until the user opts in, the bundled map is shown and that server hears nothing; once they do, tiles
// are asked for, drawn under the clusters (which line up with them), and the choice is remembered on the device.

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const EMAIL = "tiles.e2e@example.com";
const PASSWORD = "cartographer 9 lantern";
const ATTRIBUTION = "Test tiles © nobody";

const SEED = [
  { name: "tower.jpg", colour: "#a93226", gps: { lat: 48.8584, lon: 2.2945 } },
  { name: "museum.jpg", colour: "#2e86c1", gps: { lat: 48.8606, lon: 2.3376 } },
  { name: "crossing.jpg", colour: "#1e8449", gps: { lat: 35.6595, lon: 139.7005 } },
];
const TOKYO = SEED[2]!.gps;

const placedHooks: MediaHooks = sharpHooksWith((name) => ({
  takenAt: "2024-06-01T12:00:00.000Z",
  gps: SEED.find((s) => s.name === name)!.gps,
}));

/** Where a position falls in XYZ tile units at zoom z (the slippy-map formulas, independent of the app's code). */
function tileUnits(lat: number, lon: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const phi = (lat * Math.PI) / 180;
  return {
    x: ((lon + 180) / 360) * n,
    y: ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n,
  };
}

/** Two colours in a checkerboard, so that each drawn tile can be told from its neighbours and from the vector map. */
const TILE_COLOURS = [
  [0x88, 0xc0, 0xd0],
  [0xeb, 0xcb, 0x8b],
] as const;
const hex = (c: readonly number[]) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;

/** A 256 px tile: its checker colour, a frame, its z/x/y, and a cross at each seed position inside it. */
async function tilePng(z: number, x: number, y: number): Promise<Buffer> {
  const crosses = SEED.map(({ gps }) => tileUnits(gps.lat, gps.lon, z))
    .filter((p) => Math.floor(p.x) === x && Math.floor(p.y) === y)
    .map((p) => {
      const cx = (p.x - x) * 256;
      const cy = (p.y - y) * 256;
      return `<path d="M${cx - 14} ${cy}H${cx + 14}M${cx} ${cy - 14}V${cy + 14}" stroke="#bf0000" stroke-width="2"/>`;
    });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">` +
    `<rect width="256" height="256" fill="${hex(TILE_COLOURS[(x + y) % 2]!)}"/>` +
    `<rect x="0.5" y="0.5" width="255" height="255" fill="none" stroke="#2e3440" stroke-width="1"/>` +
    `<text x="6" y="16" font-family="sans-serif" font-size="12" fill="#2e3440">${z}/${x}/${y}</text>` +
    `${crosses.join("")}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

interface TileServer {
  origin: string;
  /** Every path asked for, in order. */
  asked: string[];
  /** Answer every tile with a 503 (a tile server down). */
  failing: boolean;
  close(): Promise<void>;
}

async function startTileServer(): Promise<TileServer> {
  const asked: string[] = [];
  const tiles = { failing: false };
  const server: Server = createServer((request, response) => {
    asked.push(request.url ?? "");
    const match = /^\/tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(request.url ?? "");
    if (!match || tiles.failing) {
      response.writeHead(match ? 503 : 404).end();
      return;
    }
    const [z, x, y] = match.slice(1).map(Number) as [number, number, number];
    tilePng(z, x, y).then(
      (png) => response.writeHead(200, { "content-type": "image/png", "cache-control": "no-store" }).end(png),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    asked,
    get failing() {
      return tiles.failing;
    },
    set failing(on: boolean) {
      tiles.failing = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let webDir: string;
let tileServer: TileServer;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
/** Every URL the pages asked for, with whether the opt-in had been given by then. */
const requests: { url: string; optedIn: boolean }[] = [];
let optedIn = false;

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-tiles-web-"));
  buildWeb(webDir);
  tileServer = await startTileServer();
  server = await startServer({
    webDir,
    env: {
      UMBRA_MAP_TILE_URL: `${tileServer.origin}/tiles/{z}/{x}/{y}.png`,
      UMBRA_MAP_TILE_ATTRIBUTION: ATTRIBUTION,
    },
  });
  const client = await sdkAccount(server.url, EMAIL, PASSWORD);
  const sources = await Promise.all(
    SEED.map(async (s) => jpegSource(s.name, await makeJpeg(800, 600, s.colour))),
  );
  await client.upload(sources, placedHooks);
  browser = await launchChromium();
  // The server's own CSP this time (no policy injected over it): it is what lets the tiles in.
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "UTC" });
  context.setDefaultTimeout(PAGE_WAIT_MS);
  context.on("request", (r) => requests.push({ url: r.url(), optedIn }));
  context.on("page", (p) => {
    p.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    p.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
        problems.push(`CSP: ${m.text()}`);
    });
  });
  page = await context.newPage();
  mkdirSync(artifactsDir, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await tileServer?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

/** Serious or critical WCAG 2.1 A/AA problems axe finds in the map and its opt-in. */
async function axeProblems(): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<Result> } }).axe;
    const result = await axe.run(".places .map-box", {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** A new page load of the same tab: the vault is locked again, unlocked with the password, back on Places. */
async function reloadAndUnlock(): Promise<void> {
  await page.reload();
  await page.fill("#ul-password", PASSWORD);
  await page.click("form button[type=submit]");
  await page.waitForSelector("main.content[aria-busy=false]");
  if (!page.url().endsWith("#/places")) await page.click("nav >> text=Places");
  await page.waitForSelector("[data-testid=world-map] path.land");
}

const tileRequests = () => requests.filter((r) => r.url.startsWith(`${tileServer.origin}/`));

/** Every tile element on the map has loaded (and there is at least one), each of a zoom within `zooms`. */
async function tilesDrawn(zooms: { min?: number; max?: number } = {}): Promise<number> {
  const handle = await page.waitForFunction(
    ({ min, max }) => {
      const tiles = [...document.querySelectorAll("[data-testid=map-tile]")];
      const levels = tiles.map((t) => Number(/\/tiles\/(\d+)\//.exec(t.getAttribute("href") ?? "")?.[1]));
      const ready =
        tiles.length > 0 &&
        levels.every((z) => z >= min && z <= max) &&
        tiles.every((t) => t.getAttribute("data-loaded") === "true");
      return ready && tiles.length;
    },
    { min: zooms.min ?? 0, max: zooms.max ?? 30 },
  );
  return (await handle.jsonValue()) as number;
}

/** How far (screen pixels) the Tokyo marker's centre is from where the tile under it draws Tokyo. */
async function tokyoOffset(): Promise<{ dx: number; dy: number; z: number }> {
  const marker = (await page.locator('[data-testid=map-cluster][aria-label*="Tokyo"] circle').boundingBox())!;
  const tiles = await page.$$eval("[data-testid=map-tile]", (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { href: el.getAttribute("href")!, x: r.x, y: r.y, size: Number(el.getAttribute("width")) };
    }),
  );
  const svgWidth = (await page.locator("[data-testid=world-map]").boundingBox())!.width;
  const viewBox = (await page.getAttribute("[data-testid=world-map]", "viewBox"))!.split(" ").map(Number);
  const pxPerUnit = svgWidth / viewBox[2]!;
  for (const tile of tiles) {
    const [z, x, y] = /\/tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(tile.href)!.slice(1).map(Number) as [
      number,
      number,
      number,
    ];
    const at = tileUnits(TOKYO.lat, TOKYO.lon, z);
    if (Math.floor(at.x) !== x || Math.floor(at.y) !== y) continue;
    // The tile's own side on screen (its element is drawn a hair larger so neighbours overlap).
    const side = (360 / 2 ** z) * pxPerUnit;
    const expected = { x: tile.x + (at.x - x) * side, y: tile.y + (at.y - y) * side };
    return {
      dx: marker.x + marker.width / 2 - expected.x,
      dy: marker.y + marker.height / 2 - expected.y,
      z,
    };
  }
  throw new Error("no tile under Tokyo is drawn");
}

describe("map tiles a self-hoster offers, opt-in per device", { timeout: 300_000 }, () => {
  it("the server names the tile origin in its CSP and its public config", async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.headers.get("content-security-policy")).toContain(
      `img-src 'self' blob: data: ${tileServer.origin};`,
    );
    expect(await (await fetch(`${server.url}/api/config`)).json()).toEqual({
      mapTiles: { url: `${tileServer.origin}/tiles/{z}/{x}/{y}.png`, attribution: ATTRIBUTION },
    });
  });

  it("until the user opts in, Places shows the bundled map and asks the tile server nothing", async () => {
    await logInInBrowser(page, server.url, EMAIL, PASSWORD);
    await page.click("nav >> text=Places");
    await page.waitForSelector("[data-testid=world-map] path.land");
    // The opt-in appears once the app has the server's config: from then on tiles would be drawn if they were on.
    const optIn = page.locator("[data-testid=map-tiles-opt-in]");
    await optIn.waitFor();
    expect(await optIn.isChecked()).toBe(false);
    const label = await page.locator(".tiles-opt-in").textContent();
    expect(label?.trim()).toBe(
      `Show map tiles from ${new URL(tileServer.origin).host} — that server will see which areas of the map you look at`,
    );
    await expect.poll(() => page.locator("[data-testid=map-cluster]").count()).toBe(2);
    expect(await page.getAttribute("[data-testid=world-map]", "viewBox")).toBe("0 0 360 180");
    expect(await page.locator("[data-testid=map-tile]").count()).toBe(0);
    expect(await page.locator("[data-testid=map-attribution]").count()).toBe(0);
    // Zoomed and panned about: still nothing.
    await page.click('button[aria-label="Zoom in"]');
    await page.click('button[aria-label="Zoom in"]');
    await page.click('button[aria-label="Whole world"]');
    await page.waitForFunction(
      () => document.querySelector("[data-testid=world-map]")?.getAttribute("viewBox") === "0 0 360 180",
    );
    expect(await page.locator("[data-testid=map-tile]").count()).toBe(0);
    expect(tileRequests()).toEqual([]);
    expect(tileServer.asked).toEqual([]);
    await page.screenshot({ path: "/tmp/map-tiles-off.png" });
    expect(await axeProblems()).toEqual([]);
  });

  it("once opted in, tiles are asked for, drawn under the clusters, which line up with them", async () => {
    optedIn = true;
    await page.click("[data-testid=map-tiles-opt-in]");
    // The whole world's width at 640 px: zoom 1, its four tiles.
    expect(await tilesDrawn({ max: 1 })).toBe(4);
    const hrefs = await page.$$eval("[data-testid=map-tile]", (els) =>
      els.map((e) => e.getAttribute("href")),
    );
    expect(hrefs.sort()).toEqual(
      [0, 1, 2, 3].map((i) => `${tileServer.origin}/tiles/1/${i % 2}/${i >> 1}.png`).sort(),
    );
    expect([...new Set(tileServer.asked)].sort()).toEqual(hrefs.map((h) => new URL(h!).pathname).sort());
    expect(await page.locator("[data-testid=map-attribution]").textContent()).toContain(ATTRIBUTION);
    expect(await page.locator(".places .hint").first().textContent()).toContain(
      `the map tiles come from ${new URL(tileServer.origin).host}`,
    );
    // Web Mercator now: the middle of its square world (latitudes ±66.5°).
    expect(await page.getAttribute("[data-testid=world-map]", "viewBox")).toBe("0 90 360 180");
    await expect.poll(() => page.locator("[data-testid=map-cluster]").count()).toBe(2);
    expect(await page.evaluate(() => localStorage.getItem("umbra.mapTiles"))).toBe(tileServer.origin);
    expect(await axeProblems()).toEqual([]);

    const shot = await page.screenshot({ path: "/tmp/map-tiles-on.png" });
    // Drawn, not just loaded: the middle of the bottom-left tile's visible part (open sea, no marker) has its colour.
    const map = (await page.locator("[data-testid=world-map]").boundingBox())!;
    const px = { x: Math.round(map.x + map.width / 4), y: Math.round(map.y + (map.height * 3) / 4) };
    const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
    const at = (px.y * info.width + px.x) * info.channels;
    const colour = [data[at]!, data[at + 1]!, data[at + 2]!];
    for (let c = 0; c < 3; c++) expect(Math.abs(colour[c]! - TILE_COLOURS[1]![c]!)).toBeLessThanOrEqual(3);

    const world = await tokyoOffset();
    expect(world.z).toBe(1);
    expect(Math.abs(world.dx)).toBeLessThan(1.5);
    expect(Math.abs(world.dy)).toBeLessThan(1.5);

    // Zoomed in on Tokyo with the wheel: deeper tiles, and the marker still on its spot.
    const tokyo = page.locator('[data-testid=map-cluster][aria-label*="Tokyo"]');
    for (let i = 0; i < 16; i++) {
      const box = (await tokyo.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -100);
    }
    await tilesDrawn({ min: 4 });
    const zoomed = await tokyoOffset();
    expect(zoomed.z).toBeGreaterThanOrEqual(4);
    expect(Math.abs(zoomed.dx)).toBeLessThan(1.5);
    expect(Math.abs(zoomed.dy)).toBeLessThan(1.5);
    await page.screenshot({ path: "/tmp/map-tiles-zoomed.png" });
    await page.click('button[aria-label="Whole world"]');
    expect(await tilesDrawn({ max: 1 })).toBe(4);
    expect(await page.getAttribute("[data-testid=world-map]", "viewBox")).toBe("0 90 360 180");
  });

  it("the choice is remembered on this device; turned off, the bundled map is back and no tile is asked for", async () => {
    await reloadAndUnlock();
    expect(await tilesDrawn({ max: 1 })).toBe(4);
    expect(await page.locator("[data-testid=map-tiles-opt-in]").isChecked()).toBe(true);

    await page.click("[data-testid=map-tiles-opt-in]");
    optedIn = false;
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=map-tile]").length === 0);
    expect(await page.getAttribute("[data-testid=world-map]", "viewBox")).toBe("0 0 360 180");
    expect(await page.locator("[data-testid=map-attribution]").count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("umbra.mapTiles"))).toBeNull();
    const asked = tileServer.asked.length;
    await page.click('button[aria-label="Zoom in"]');
    await page.click('button[aria-label="Zoom out"]');
    await reloadAndUnlock();
    await page.locator("[data-testid=map-tiles-opt-in]").waitFor();
    expect(await page.locator("[data-testid=map-tiles-opt-in]").isChecked()).toBe(false);
    expect(await page.locator("[data-testid=map-tile]").count()).toBe(0);
    expect(tileServer.asked.length).toBe(asked);
  });

  it("with the tile server down, the bundled borders, in the tiles' projection, show under the clusters", async () => {
    tileServer.failing = true;
    optedIn = true;
    await page.click("[data-testid=map-tiles-opt-in]");
    await page.waitForFunction(() => {
      const tiles = [...document.querySelectorAll("[data-testid=map-tile]")];
      return tiles.length === 4 && tiles.every((t) => t.getAttribute("data-failed") === "true");
    });
    expect(await page.getAttribute("[data-testid=world-map]", "viewBox")).toBe("0 90 360 180");
    expect(await page.locator("[data-testid=world-map] path.land").count()).toBe(1);
    await expect.poll(() => page.locator("[data-testid=map-cluster]").count()).toBe(2);
    await page.screenshot({ path: "/tmp/map-tiles-down.png" });
    tileServer.failing = false;
  });

  it("broke no CSP rule, and went to no origin but the app's and, once opted in, the tile server's", () => {
    expect(problems).toEqual([]);
    const app = new URL(server.url).origin;
    const elsewhere = requests.filter(
      (r) => !r.url.startsWith("blob:") && !r.url.startsWith("data:") && new URL(r.url).origin !== app,
    );
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const r of elsewhere) {
      expect(new URL(r.url).origin, r.url).toBe(tileServer.origin);
      expect(r.optedIn, r.url).toBe(true);
    }
  });
});
