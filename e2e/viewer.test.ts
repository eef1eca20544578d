import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MediaHooks, UmbraClient, UploadSource } from "@umbra/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_CSP, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import { jpegSource, logInInBrowser, makeJpeg, PAGE_WAIT_MS, sdkAccount } from "./sharing-helpers.js";
import { makeTestVideo, type TestVideo, videoHooks, videoSource } from "./video-fixtures.js";

/**
 * The library viewer (issue 15): zoom toward the cursor with the original swapped in, keys after a toast's Undo,
 * Space on a video, a one-row bar on a phone, and editing in place (description found by search, rename, date in
 * a time zone, rotation kept across a reload).
 */

const ALICE = { email: "alice.viewer@example.com", password: "alice viewer lantern 7 marmalade" };
/** Newest first in the timeline: clip, alpha, bravo, charlie, delta. */
const PHOTOS = [
  { name: "alpha.jpg", width: 2400, height: 1600, colour: "#1d5fa8", takenAt: "2024-06-04T12:00:00.000Z" },
  { name: "bravo.jpg", width: 1200, height: 1600, colour: "#a8501d", takenAt: "2024-06-03T12:00:00.000Z" },
  { name: "charlie.jpg", width: 1600, height: 1200, colour: "#2f8f4e", takenAt: "2024-06-02T12:00:00.000Z" },
  { name: "delta.jpg", width: 1600, height: 1000, colour: "#7a2f8f", takenAt: "2024-06-01T12:00:00.000Z" },
];
const VIEWER = "[data-testid=viewer]";
const IMAGE = "[data-testid=viewer-image]";

let workDir: string;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let alice: UmbraClient;
let clip: TestVideo;
const ids = new Map<string, string>();
const problems: string[] = [];
const contentRequests: string[] = [];

/** Thumbnails as the web app makes them (JPEG, 256 px grid, ≤ 1440 px preview), each photo with its own date. */
const photoHooks: MediaHooks = {
  async extract(source: UploadSource) {
    const bytes = Buffer.from(await new Response(source.open()).arrayBuffer());
    const { width, height } = await sharp(bytes).metadata();
    const scaled = (max: number) =>
      sharp(bytes).resize(max, max, { fit: "inside", withoutEnlargement: true }).jpeg().toBuffer();
    const [grid, preview] = await Promise.all([scaled(256), scaled(1440)]);
    const takenAt = PHOTOS.find((p) => p.name === source.name)?.takenAt;
    return {
      info: { mime: "image/jpeg", width, height, takenAt },
      thumbnails: { grid: new Uint8Array(grid), preview: new Uint8Array(preview) },
    };
  },
};

async function openFile(name: string): Promise<void> {
  await page.click(`.tile[aria-label^="${name}"]`);
  await waitForTitle(name);
}

async function waitForTitle(name: string): Promise<void> {
  await page.waitForFunction(([sel, n]) => document.querySelector(`${sel} .bar .title`)?.textContent === n, [
    VIEWER,
    name,
  ] as const);
}

async function closeViewer(): Promise<void> {
  await page.keyboard.press("Escape");
  await page.waitForSelector(VIEWER, { state: "detached" });
}

/** The image is decoded, laid out, and no zoom animation is running. */
async function settled(): Promise<{ x: number; y: number; width: number; height: number }> {
  await page.waitForFunction((sel) => {
    const img = document.querySelector<HTMLImageElement>(sel);
    return (
      img?.complete === true && img.naturalWidth > 0 && img.dataset.moving === "false" && img.offsetWidth > 0
    );
  }, IMAGE);
  const box = await page.locator(IMAGE).boundingBox();
  if (!box) throw new Error("no image box");
  return box;
}

async function savedMetadata(name: string) {
  await alice.library.sync();
  return (await alice.library.file(ids.get(name)!)).metadata;
}

async function waitForSaved(
  name: string,
  check: (meta: Awaited<ReturnType<typeof savedMetadata>>) => boolean,
) {
  const deadline = Date.now() + PAGE_WAIT_MS;
  for (;;) {
    const meta = await savedMetadata(name);
    if (check(meta)) return meta;
    if (Date.now() > deadline) throw new Error(`metadata of ${name} never matched: ${JSON.stringify(meta)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "umbra-viewer-e2e-"));
  mkdirSync(path.join(workDir, "clip"));
  clip = makeTestVideo(path.join(workDir, "clip"), 2, 1);
  // Its own build directory: web.test.ts empties packages/web/dist while it runs.
  const webDir = path.join(workDir, "web");
  buildWeb(webDir);
  server = await startServer({ webDir, logLevel: "info" });
  browser = await launchChromium();
  alice = await sdkAccount(server.url, ALICE.email, ALICE.password);
  for (const photo of PHOTOS) {
    const bytes = await makeJpeg(photo.width, photo.height, photo.colour);
    const up = await alice.upload([jpegSource(photo.name, bytes)], photoHooks);
    ids.set(photo.name, up.uploaded[0]!.fileId);
  }
  const up = await alice.upload([videoSource("clip.mp4", clip)], {
    extract: async (s) => {
      const base = await videoHooks(clip).extract(s);
      return { ...base, info: { ...base.info, takenAt: "2024-06-05T12:00:00.000Z" } };
    },
  });
  ids.set("clip.mp4", up.uploaded[0]!.fileId);

  // Only documents are routed (to carry the app's CSP): a route on every request would take the media Service
  // Worker's fetches away from it.
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "UTC" });
  context.setDefaultTimeout(PAGE_WAIT_MS);
  await context.route(
    (url) => url.pathname === "/" || url.pathname === "/index.html",
    async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), "content-security-policy": APP_CSP },
      });
    },
  );
  page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
      problems.push(`CSP: ${m.text()}`);
  });
  page.on("request", (r) => {
    if (/\/api\/files\/[^/]+\/content/.test(r.url())) contentRequests.push(r.url());
  });
  await logInInBrowser(page, server.url, ALICE.email, ALICE.password);
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=grid] .tile img").length === 5);
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("the library viewer", { timeout: 240_000 }, () => {
  it("zooms with the wheel toward the cursor, then shows the decrypted original without a jump", async () => {
    contentRequests.length = 0;
    await openFile("alpha.jpg");
    const before = await settled();
    expect(await page.getAttribute(IMAGE, "data-source")).toBe("preview");
    expect(await page.$eval(IMAGE, (img: HTMLImageElement) => img.naturalWidth)).toBe(1440);
    expect(contentRequests).toEqual([]);
    await page.screenshot({ path: "/tmp/viewer-1280.png" });

    // A point of the photo right and below its centre: it must stay under the cursor.
    const fx = 0.68;
    const fy = 0.61;
    const cursor = { x: before.x + before.width * fx, y: before.y + before.height * fy };
    await page.mouse.move(cursor.x, cursor.y);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -200);
    const after = await settled();
    const zoom = Number(await page.getAttribute(IMAGE, "data-zoom"));
    expect(zoom).toBeGreaterThan(3);
    expect(zoom).toBeLessThanOrEqual(8);
    expect(after.width / before.width).toBeCloseTo(zoom, 1);
    expect(Math.abs(after.x + after.width * fx - cursor.x)).toBeLessThan(3);
    expect(Math.abs(after.y + after.height * fy - cursor.y)).toBeLessThan(3);

    // Past 1× the original is fetched, decrypted and put in place of the preview, in the same spot.
    await page.waitForSelector(`${IMAGE}[data-source=original]`);
    expect(await page.$eval(IMAGE, (img: HTMLImageElement) => img.naturalWidth)).toBe(2400);
    expect(await page.$eval(IMAGE, (img: HTMLImageElement) => img.src.startsWith("blob:"))).toBe(true);
    expect(contentRequests.some((u) => u.includes(ids.get("alpha.jpg")!))).toBe(true);
    const swapped = await settled();
    expect(Math.abs(swapped.x - after.x)).toBeLessThan(1);
    expect(Math.abs(swapped.width - after.width)).toBeLessThan(1);
    await page.screenshot({ path: "/tmp/viewer-1280-zoomed.png" });

    // Never past 8×; a drag pans; a double-click goes back to the whole photo.
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
    await settled();
    expect(Number(await page.getAttribute(IMAGE, "data-zoom"))).toBe(8);
    const atEight = await settled();
    await page.mouse.down();
    await page.mouse.move(cursor.x - 80, cursor.y - 40, { steps: 4 });
    await page.mouse.up();
    const panned = await settled();
    expect(panned.x - atEight.x).toBeCloseTo(-80, 0);
    expect(panned.y - atEight.y).toBeCloseTo(-40, 0);
    await page.mouse.dblclick(cursor.x, cursor.y);
    const reset = await settled();
    expect(Number(await page.getAttribute(IMAGE, "data-zoom"))).toBe(1);
    expect(Math.abs(reset.x - before.x)).toBeLessThan(1);
    expect(Math.abs(reset.width - before.width)).toBeLessThan(1);
    await closeViewer();
  });

  it("pinches with two fingers toward the pinch point", async () => {
    await openFile("alpha.jpg");
    const before = await settled();
    const cdp = await context.newCDPSession(page);
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", points: { x: number; y: number }[]) =>
      cdp.send("Input.dispatchTouchEvent", {
        type,
        touchPoints: points.map((p, id) => ({ x: p.x, y: p.y, id })),
      });
    const mid = { x: before.x + before.width * 0.3, y: before.y + before.height * 0.4 };
    const fingers = (half: number) => [
      { x: mid.x - half, y: mid.y },
      { x: mid.x + half, y: mid.y },
    ];
    await touch("touchStart", fingers(40));
    for (let half = 45; half <= 100; half += 5) await touch("touchMove", fingers(half));
    await touch("touchEnd", []);
    const after = await settled();
    // The fingers went from 80 to 200 px apart: ×2.5, the content between them still between them.
    expect(Number(await page.getAttribute(IMAGE, "data-zoom"))).toBeCloseTo(2.5, 1);
    expect(Math.abs(after.x + after.width * 0.3 - mid.x)).toBeLessThan(3);
    expect(Math.abs(after.y + after.height * 0.4 - mid.y)).toBeLessThan(3);
    await cdp.detach();
    await closeViewer();
  });

  it("keeps the keys working after Undo in a toast", async () => {
    await openFile("bravo.jpg");
    await page.click(`${VIEWER} button:has-text('Delete')`);
    await waitForTitle("charlie.jpg");
    await page.click("[data-testid=toast] button:has-text('Undo')");
    // Back on the restored file, with the focus in the viewer again.
    await waitForTitle("bravo.jpg");
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "viewer");
    await page.keyboard.press("ArrowRight");
    await waitForTitle("charlie.jpg");
    await page.keyboard.press("ArrowLeft");
    await waitForTitle("bravo.jpg");
    await closeViewer();
  });

  it("plays and pauses a video with Space", async () => {
    await openFile("clip.mp4");
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>("[data-testid=video]");
      return v !== null && v.readyState >= 2;
    });
    const paused = () => page.$eval("[data-testid=video]", (v: HTMLVideoElement) => v.paused);
    for (let i = 0; i < 2; i++) {
      const was = await paused();
      await page.keyboard.press(" ");
      await page.waitForFunction(
        (p) => document.querySelector<HTMLVideoElement>("[data-testid=video]")?.paused === !p,
        was,
      );
    }
    await closeViewer();
  });

  it("fits the top bar on one row at 390 px, the rarer actions in a menu", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await openFile("delta.jpg");
      await settled();
      const row = await page.$eval(`${VIEWER} header.bar`, (bar) => {
        const shown = [...bar.children].filter((c) => c.getBoundingClientRect().width > 0);
        const centres = shown.map((c) => {
          const r = c.getBoundingClientRect();
          return r.top + r.height / 2;
        });
        const button = bar.querySelector("button")!.getBoundingClientRect().height;
        return {
          height: bar.getBoundingClientRect().height,
          button,
          spread: Math.max(...centres) - Math.min(...centres),
          overflows: bar.scrollWidth > bar.clientWidth,
          labels: [...bar.querySelectorAll("button")]
            .filter((b) => b.getBoundingClientRect().width > 0)
            .map((b) => b.getAttribute("aria-label")),
        };
      });
      expect(row.height).toBeLessThan(row.button * 1.8);
      expect(row.spread).toBeLessThan(2);
      expect(row.overflows).toBe(false);
      expect(row.labels).toEqual(["Close (Esc)", "Favorite", "Info", "More actions"]);
      await page.screenshot({ path: "/tmp/viewer-390.png" });
      expect(await page.isVisible(`${VIEWER} button:has-text('Delete')`)).toBe(false);
      await page.click("[data-testid=more-button]");
      await page.waitForSelector(`[data-testid=more-menu] button:has-text('Delete')`, { state: "visible" });
      expect(await page.isVisible(`[data-testid=more-menu] button:has-text('Download')`)).toBe(true);
      await page.screenshot({ path: "/tmp/viewer-390-menu.png" });
      await page.keyboard.press("Escape");
      await page.waitForSelector(`[data-testid=more-menu] button:has-text('Delete')`, { state: "hidden" });
      // A menu item that closes its menu takes the focus with it: the keys still reach the viewer.
      await page.click("[data-testid=more-button]");
      await page.click(`[data-testid=more-menu] button:has-text('Add to album')`);
      await page.waitForSelector(`${VIEWER} [role=menu]`);
      await page.keyboard.press("Escape");
      await page.waitForSelector(`${VIEWER} [role=menu]`, { state: "detached" });
      await page.keyboard.press("ArrowLeft");
      await waitForTitle("charlie.jpg");
      await page.keyboard.press("ArrowRight");
      await waitForTitle("delta.jpg");
      await page.click("[data-testid=info-button]");
      await page.waitForSelector("[data-testid=info]");
      await page.screenshot({ path: "/tmp/viewer-390-info.png" });
      await closeViewer();
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it("edits the description in place, and search finds it", async () => {
    await openFile("charlie.jpg");
    await page.click("[data-testid=info-button]");
    await page.click("[data-testid=edit]");
    await page.fill("#ve-description", "A grey heron fishing on the canal at dawn");
    await page.screenshot({ path: "/tmp/viewer-1280-edit.png" });
    await page.click("[data-testid=edit-form] button[type=submit]");
    await page.waitForSelector("[data-testid=info-description]:has-text('grey heron')");
    await waitForSaved("charlie.jpg", (m) => m.description === "A grey heron fishing on the canal at dawn");
    // Keys still work after saving (the focus went back to the viewer).
    await closeViewer();
    await page.goto(`${server.url}/#/search`);
    await page.fill("#search-q", "heron canal");
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=search-count]")?.textContent?.startsWith("1 result"),
    );
    await page.waitForSelector('.tile[aria-label^="charlie.jpg"]');
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector('.tile[aria-label^="charlie.jpg"]');
  });

  it("renames, and sets the date and time in a time zone", async () => {
    await openFile("charlie.jpg");
    await page.click("[data-testid=info-button]");
    await page.click("[data-testid=edit]");
    await page.fill("#ve-name", "heron.jpg");
    await page.fill("#ve-date", "2020-02-03T04:05:06");
    await page.selectOption("#ve-zone", "Asia/Tokyo");
    await page.click("[data-testid=edit-form] button[type=submit]");
    await waitForTitle("heron.jpg");
    expect(await page.textContent("[data-testid=info-name]")).toBe("heron.jpg");
    const date = await page.textContent("[data-testid=info-date]");
    expect(date).toContain("February 3, 2020");
    expect(date).toContain("4:05");
    expect(date).toContain("Asia/Tokyo (UTC+9)");
    const meta = await waitForSaved("charlie.jpg", (m) => m.name === "heron.jpg");
    expect(meta.takenAt).toBe("2020-02-03T04:05:06+09:00");
    expect(meta.timeZone).toBe("Asia/Tokyo");
    // The file moved to the end of the timeline; the viewer stayed on it.
    await page.keyboard.press("ArrowRight");
    await page.waitForTimeout(200);
    await waitForTitle("heron.jpg");
    await page.keyboard.press("ArrowLeft");
    await waitForTitle("delta.jpg");
    await closeViewer();
    await page.waitForSelector('.tile[aria-label^="heron.jpg"]');
  });

  it("rotates as metadata, shown rotated, still rotated after a reload", async () => {
    await openFile("heron.jpg");
    const upright = await settled();
    expect(upright.width).toBeGreaterThan(upright.height);
    await page.click("[data-testid=info-button]");
    await page.click("[data-testid=rotate]");
    await page.waitForSelector(`${IMAGE}[data-rotation="90"]`);
    const turned = await settled();
    expect(turned.height).toBeGreaterThan(turned.width);
    const meta = await waitForSaved("charlie.jpg", (m) => m.rotation === 90);
    expect(meta.name).toBe("heron.jpg");
    await page.screenshot({ path: "/tmp/viewer-1280-rotated.png" });
    await closeViewer();
    // The grid's tile takes the turned shape, and its thumbnail turns with it.
    await page.waitForFunction(() => {
      const tile = document.querySelector('.tile[aria-label^="heron.jpg"]');
      const box = tile?.getBoundingClientRect();
      return box !== undefined && box.height > box.width && tile?.querySelector("img.turned") !== null;
    });

    await page.reload();
    await page.fill("#ul-password", ALICE.password);
    await page.click("form button[type=submit]");
    await page.waitForSelector('.tile[aria-label^="heron.jpg"]');
    await openFile("heron.jpg");
    await page.waitForSelector(`${IMAGE}[data-rotation="90"]`);
    const again = await settled();
    expect(again.height).toBeGreaterThan(again.width);
    expect(await page.$eval(IMAGE, (img) => getComputedStyle(img).transform)).not.toBe("none");
    await closeViewer();
  });

  it("saw no page error and no CSP violation", () => {
    expect(problems).toEqual([]);
  });
});
