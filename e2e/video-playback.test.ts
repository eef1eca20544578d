import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { UmbraClient } from "@umbra/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APP_CSP,
  artifactsDir,
  buildWeb,
  launchChromium,
  type RunningServer,
  startServer,
} from "./harness.js";
import { logInInBrowser, PAGE_WAIT_MS, sdkAccount } from "./sharing-helpers.js";
import { makeTestVideo, type TestVideo, videoHooks, videoSource } from "./video-fixtures.js";
import { type CountingProxy, countingProxy } from "./video-proxy.js";

const ALICE = { email: "alice.video@example.com", password: "alice video lantern 7 marmalade" };
const BOB = { email: "bob.video@example.com", password: "bob video harvest 9 cobalt" };
/** Small segments, so the video has a few hundred of them and a seek fetches only a few. */
const SEGMENT_SIZE = 64 * 1024;
const shotsDir = path.join(artifactsDir, "video");

let workDir: string;
let server: RunningServer;
let proxy: CountingProxy;
let browser: Browser;
let alice: UmbraClient;
let movie: TestVideo;
let broken: TestVideo;
let albumId: string;
let movieId: string;
let brokenId: string;
let linkUrl: string;
let viewOnlyLinkUrl: string;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
let shot = 0;

async function snap(page: Page, name: string): Promise<void> {
  shot++;
  await page.screenshot({ path: path.join(shotsDir, `${String(shot).padStart(2, "0")}-${name}.png`) });
}

/**
 * A fresh context whose documents carry the app's CSP. Only documents are routed: a route on every request would
 * also take the Service Worker's fetches away from it.
 */
async function freshPage(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "UTC" });
  ctx.setDefaultTimeout(PAGE_WAIT_MS);
  contexts.push(ctx);
  await ctx.route(
    (url) => url.pathname === "/" || url.pathname === "/s" || url.pathname === "/index.html",
    async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), "content-security-policy": APP_CSP },
      });
    },
  );
  const page = await ctx.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
      problems.push(`CSP: ${m.text()}`);
  });
  return page;
}

/** The content blob of a file as stored under the server's data dir (the only `.content` of that size). */
function storedBlob(contentSize: number): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const stats = statSync(full);
      if (stats.isDirectory()) walk(full);
      else if (name.endsWith(".content") && stats.size === contentSize) found.push(full);
    }
  };
  walk(server.dataDir);
  expect(found).toHaveLength(1);
  return found[0] as string;
}

/** Waits until the player's video plays: time advances and a frame was rendered. */
async function waitPlaying(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const video = document.querySelector<HTMLVideoElement>("[data-testid=video]");
    return !!video && !video.paused && video.currentTime > 0.3 && video.readyState >= 3;
  });
}

/** Seeks to `fraction` of the duration; resolves with the media time of the first frame rendered after `seeked`. */
async function seekTo(page: Page, fraction: number): Promise<number> {
  return (await timedSeek(page, fraction)).mediaTime;
}

/** As seekTo, with the time from setting currentTime to that frame (printed, never asserted). */
async function timedSeek(page: Page, fraction: number): Promise<{ mediaTime: number; ms: number }> {
  return page.evaluate(async (f) => {
    const video = document.querySelector<HTMLVideoElement>("[data-testid=video]");
    if (!video) throw new Error("no video");
    const seeked = new Promise<void>((resolve) =>
      video.addEventListener("seeked", () => resolve(), { once: true }),
    );
    const t0 = performance.now();
    video.currentTime = video.duration * f;
    await seeked;
    if (video.paused) await video.play();
    return new Promise<{ mediaTime: number; ms: number }>((resolve) =>
      video.requestVideoFrameCallback((now, m) => resolve({ mediaTime: m.mediaTime, ms: now - t0 })),
    );
  }, fraction);
}

/** Notes the time now and when the first frame is loaded (media events do not bubble: captured). */
async function markOpening(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { openedAt: number; firstFrameAt?: number };
    w.openedAt = performance.now();
    document.addEventListener("loadeddata", () => (w.firstFrameAt = performance.now()), {
      capture: true,
      once: true,
    });
  });
}

async function openingMs(page: Page): Promise<string> {
  return page.evaluate(() => {
    const w = window as unknown as { openedAt: number; firstFrameAt?: number };
    return ((w.firstFrameAt ?? Number.NaN) - w.openedAt).toFixed(0);
  });
}

/** Play, seek to ~50 % and ~90 %, and check that only part of the ciphertext crossed the network. */
async function playAndSeek(page: Page, label: string, contentSize: number): Promise<void> {
  await page.waitForSelector("[data-testid=video-player]");
  await waitPlaying(page);
  await snap(page, `${label}-playing`);
  const duration = await page.evaluate(
    () => document.querySelector<HTMLVideoElement>("[data-testid=video]")!.duration,
  );
  expect(duration).toBeGreaterThan(movie.durationSec - 1);
  const seekMs: string[] = [];
  for (const fraction of [0.5, 0.9]) {
    const { mediaTime: at, ms } = await timedSeek(page, fraction);
    seekMs.push(`${fraction * 100} %: ${ms.toFixed(0)} ms`);
    expect(at).toBeGreaterThan(duration * fraction - 2);
    expect(at).toBeLessThan(duration * fraction + 2);
  }
  console.log(`${label}: seek to the next rendered frame ${seekMs.join(", ")}`);
  await snap(page, `${label}-after-seek-90`);
  const fetched = proxy.contentBytes();
  console.log(
    `${label}: ${proxy.contentRequests().length} ciphertext requests, ${fetched} of ${contentSize} bytes ` +
      `(${((fetched / contentSize) * 100).toFixed(1)} %): ${proxy.contentRequests().join(", ")}`,
  );
  expect(fetched).toBeGreaterThan(0);
  expect(fetched).toBeLessThan(contentSize * 0.5);
}

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true });
  for (const name of readdirSync(shotsDir)) rmSync(path.join(shotsDir, name), { recursive: true });
  workDir = mkdtempSync(path.join(tmpdir(), "umbra-video-e2e-"));
  mkdirSync(path.join(workDir, "movie"));
  mkdirSync(path.join(workDir, "broken"));
  // ~32 MB: each position costs one answer window (range-response.ts, 4 MiB), well below the whole.
  movie = makeTestVideo(path.join(workDir, "movie"), 8, 30);
  broken = makeTestVideo(path.join(workDir, "broken"), 8, 15);
  // Its own build directory: web.test.ts empties packages/web/dist while it runs.
  const webDir = path.join(workDir, "web");
  buildWeb(webDir);
  server = await startServer({ webDir, logLevel: "info" });
  proxy = await countingProxy(server.url);
  browser = await launchChromium();
  alice = await sdkAccount(server.url, ALICE.email, ALICE.password);
  // Bob exists so that the album can be shared with him; he watches in the browser.
  await sdkAccount(server.url, BOB.email, BOB.password);
  albumId = (await alice.library.createAlbum("Clips")).id;
  const options = { albumId, segmentSize: SEGMENT_SIZE };
  const up = await alice.upload([videoSource("movie.mp4", movie)], videoHooks(movie), options);
  movieId = up.uploaded[0]!.fileId;
  const up2 = await alice.upload([videoSource("broken.mp4", broken)], videoHooks(broken), {
    segmentSize: SEGMENT_SIZE,
  });
  brokenId = up2.uploaded[0]!.fileId;
  await alice.sharing.share(albumId, BOB.email, "viewer");
  await alice.sharedFiles.signOwn(albumId);
  const viaProxy = (url: string) => url.replace(server.url, proxy.url);
  linkUrl = viaProxy((await alice.links.create({ albumId })).url);
  viewOnlyLinkUrl = viaProxy((await alice.links.create({ fileId: movieId }, { allowDownload: false })).url);
}, 300_000);

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await proxy?.close();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("encrypted video streams through the Service Worker", { timeout: 300_000 }, () => {
  it("plays and seeks in the viewer, fetching only part of the file", async () => {
    const { record } = await alice.library.file(movieId);
    expect(record.contentSize).toBeGreaterThan(400 * SEGMENT_SIZE);
    const page = await freshPage();
    await logInInBrowser(page, proxy.url, ALICE.email, ALICE.password);
    proxy.reset();
    await markOpening(page);
    await page.click('.tile[aria-label^="movie.mp4"]');
    await page.waitForSelector("[data-testid=video-player]");
    await snap(page, "viewer-opening");
    await playAndSeek(page, "viewer", record.contentSize);
    console.log(`viewer: open → first frame ${await openingMs(page)} ms`);
    // Space toggles play/pause.
    await page.keyboard.press(" ");
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>("[data-testid=video]")?.paused);
    await page.keyboard.press(" ");
    await page.waitForFunction(
      () => !document.querySelector<HTMLVideoElement>("[data-testid=video]")?.paused,
    );
    // The bytes reached the page only through /media/… URLs: nothing was decrypted into a blob.
    const src = await page.getAttribute("[data-testid=video]", "src");
    expect(src).toMatch(/^\/media\/[A-Za-z0-9_-]+\/f_/);

    // A stopped worker loses its keys: on the next request it asks the page again, and playback goes on.
    await page.evaluate(() => {
      const w = window as unknown as { keyRequests: number };
      w.keyRequests = 0;
      navigator.serviceWorker.addEventListener("message", (event) => {
        if ((event.data as { type?: string })?.type === "umbra-media-need") w.keyRequests++;
      });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    const at = await seekTo(page, 0.3);
    expect(Math.abs(at - movie.durationSec * 0.3)).toBeLessThan(2);
    expect(
      await page.evaluate(() => (window as unknown as { keyRequests: number }).keyRequests),
    ).toBeGreaterThan(0);

    // Lock drops the keys in the page and in the worker: the same URL now finds nothing to decrypt with.
    await page.keyboard.press("Escape");
    await page.waitForSelector("[data-testid=viewer]", { state: "detached" });
    await page.click("button:has-text('Lock')");
    const status = await page.evaluate(
      (url) => fetch(url as string, { headers: { range: "bytes=0-0" } }).then((r) => r.status),
      src,
    );
    expect(status).toBe(404);
    expect(problems).toEqual([]);
  });

  it("plays on across the answer windows of an open-ended request", async () => {
    const page = await freshPage();
    await logInInBrowser(page, proxy.url, ALICE.email, ALICE.password);
    proxy.reset();
    await page.click('.tile[aria-label^="movie.mp4"]');
    await waitPlaying(page);
    // 4 MiB hold about 32 s of this video: at 8× the first answer runs out within seconds.
    await page.evaluate(() => {
      document.querySelector<HTMLVideoElement>("[data-testid=video]")!.playbackRate = 8;
    });
    await page.waitForFunction(
      () => (document.querySelector<HTMLVideoElement>("[data-testid=video]")?.currentTime ?? 0) > 45,
    );
    // The browser asked again where the first (short) answer ended, and playback went on.
    const windowEnd = 47 + ((4 * 1024 * 1024) / SEGMENT_SIZE) * (SEGMENT_SIZE + 16);
    expect(proxy.contentRequests().some((r) => r.startsWith(`bytes=${windowEnd}-`))).toBe(true);
    await page.keyboard.press("Escape");
    expect(problems).toEqual([]);
  });

  it("plays and seeks in an album shared with a second account", async () => {
    const { record } = await alice.library.file(movieId);
    const page = await freshPage();
    await logInInBrowser(page, proxy.url, BOB.email, BOB.password);
    await page.goto(`${proxy.url}/#/shared/${albumId}`);
    await page.waitForSelector('[data-testid=shared-grid] .tile[aria-label="movie.mp4"]');
    proxy.reset();
    await page.click('[data-testid=shared-grid] .tile[aria-label="movie.mp4"]');
    await playAndSeek(page, "shared-album", record.contentSize);
    expect(problems).toEqual([]);
  });

  it("plays and seeks on a public link page; a view-only link plays but offers no download", async () => {
    const { record } = await alice.library.file(movieId);
    const page = await freshPage();
    proxy.reset();
    await page.goto(linkUrl);
    await page.waitForSelector('[data-testid=shared-grid] .tile[aria-label="movie.mp4"]');
    await page.click('[data-testid=shared-grid] .tile[aria-label="movie.mp4"]');
    await playAndSeek(page, "public-link", record.contentSize);
    await page.waitForSelector("[data-testid=shared-viewer] button:has-text('Download')");

    const viewOnly = await freshPage();
    proxy.reset();
    await viewOnly.goto(viewOnlyLinkUrl);
    await viewOnly.click('[data-testid=shared-grid] .tile[aria-label="movie.mp4"]');
    await viewOnly.waitForSelector("[data-testid=video-player]");
    // A view-only link streams its video (by Range) but offers no download.
    await playAndSeek(viewOnly, "view-only-link", record.contentSize);

    await snap(viewOnly, "view-only-link");
    expect(await viewOnly.locator("button:has-text('Download')").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("a tampered segment stops playback with the integrity error, showing no frame of it", async () => {
    const { record } = await alice.library.file(brokenId);
    const blob = storedBlob(record.contentSize);
    const bytes = readFileSync(blob);
    // A byte in the middle of the segment at 90 % of the file: everything before it is authentic.
    const stride = SEGMENT_SIZE + 16;
    const segment = Math.floor(((bytes.length - 47) / stride) * 0.9);
    const at = 47 + segment * stride + 1000;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    writeFileSync(blob, bytes);

    const page = await freshPage();
    await logInInBrowser(page, proxy.url, ALICE.email, ALICE.password);
    await page.click('.tile[aria-label^="broken.mp4"]');
    await waitPlaying(page);
    // Seeking into the tampered part ends playback with the integrity error.
    await page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>("[data-testid=video]");
      if (video) video.currentTime = video.duration * 0.9;
    });
    const alert = await page.waitForSelector("[data-testid=video-integrity-error]");
    await snap(page, "integrity-error");
    expect(await alert.getAttribute("data-code")).toBe("TAMPERED");
    expect(await alert.textContent()).toContain("This video failed its integrity check");
    // The element is gone: no later frame, authentic or not, can be drawn.
    expect(await page.locator("[data-testid=video]").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
