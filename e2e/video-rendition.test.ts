import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../packages/cli/scripts/build.mjs";
import { APP_CSP, buildWeb, launchChromium, type RunningServer, repoRoot, startServer } from "./harness.js";
import { logInInBrowser, PAGE_WAIT_MS } from "./sharing-helpers.js";

/**
 * A video this browser cannot play (HEVC: Debian's Chromium has no decoder for it) uploaded by the CLI: the viewer
 * says so and offers the download; after `umbra renditions` made an H.264 copy on the uploading device, the viewer
 * plays that copy, streamed and decrypted like content.
 */

const EMAIL = "hevc.owner@example.com";
const PASSWORD = "hevc owner quartz 4 meadow";
const run = promisify(execFile);

let workDir: string;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, "packages/cli/bin/umbra.js"), ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      UMBRA_SERVER: server.url,
      UMBRA_CONFIG_DIR: path.join(workDir, "config"),
      UMBRA_PASSWORD: PASSWORD,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** A fresh context whose documents carry the app's CSP (only documents are routed: the Service Worker fetches). */
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
  return ctx.newPage();
}

async function openHevc(page: Page): Promise<void> {
  await logInInBrowser(page, server.url, EMAIL, PASSWORD);
  await page.click('.tile[aria-label^="hevc.mp4"]');
  await page.waitForSelector("[data-testid=video-player]");
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "umbra-rendition-e2e-"));
  const videos = path.join(workDir, "videos");
  mkdirSync(videos);
  await run("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=330"],
    ...[
      "-t",
      "6",
      "-c:v",
      "libx265",
      "-x265-params",
      "log-level=error",
      "-tag:v",
      "hvc1",
      "-pix_fmt",
      "yuv420p",
    ],
    ...["-c:a", "aac", "-movflags", "+faststart", path.join(videos, "hevc.mp4")],
  ]);
  // Its own build directory: web.test.ts empties packages/web/dist while it runs.
  const webDir = path.join(workDir, "web");
  buildWeb(webDir);
  await buildCli();
  server = await startServer({ webDir, logLevel: "info" });
  browser = await launchChromium();
  const signup = await cli(["signup", "--email", EMAIL]);
  expect(signup.code, signup.stderr).toBe(0);
  const upload = await cli(["upload", videos]);
  expect(upload.code, upload.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const shotsDir = path.join(repoRoot, "e2e", "artifacts", "rendition");
mkdirSync(shotsDir, { recursive: true });

describe("a video this browser cannot play", { timeout: 300_000 }, () => {
  it("says so with a Download button, instead of playing its sound alone", async () => {
    const page = await freshPage();
    await openHevc(page);
    const problem = page.locator("[data-testid=video-problem]");
    await problem.waitFor();
    expect(await problem.textContent()).toContain("This browser can't play this video (HEVC in video/mp4)");
    await page.locator("[data-testid=video-download]").waitFor();
    expect(await page.locator("[data-testid=video]").count()).toBe(0);
    await page.screenshot({ path: path.join(shotsDir, "01-cannot-play.png") });
  });

  it("plays the H.264 copy `umbra renditions` made on the uploading device", async () => {
    const made = await cli(["renditions"]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain("converted to H.264/AAC");
    const page = await freshPage();
    const renditionRequests: string[] = [];
    page.context().on("request", (request) => {
      if (request.url().endsWith("/rendition")) renditionRequests.push(request.headers().range ?? "(whole)");
    });
    await openHevc(page);
    const note = page.locator("[data-testid=video-rendition]");
    await note.waitFor();
    expect(await note.textContent()).toContain("Playing a converted copy (H.264)");
    await note.locator("button", { hasText: "Download original" }).waitFor();
    await page.screenshot({ path: path.join(shotsDir, "02-converted-copy.png") });
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>("[data-testid=video]");
      return !!video && video.videoWidth === 640 && video.currentTime > 0.5 && video.readyState >= 3;
    });
    expect(await page.locator("[data-testid=video-problem]").count()).toBe(0);
    // Streamed by Range from the rendition route (by the page for its header, by the Service Worker for media).
    expect(renditionRequests.length).toBeGreaterThan(0);
  });

  it("a view-only public link plays the copy too, with no Download", async () => {
    const listed = JSON.parse((await cli(["ls", "--json"])).stdout) as { id: string; name: string }[];
    const fileId = listed.find((f) => f.name === "hevc.mp4")!.id;
    const created = await cli(["link", "create", fileId, "--no-download", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const page = await freshPage();
    await page.goto(JSON.parse(created.stdout).url);
    await page.click('[data-testid=shared-grid] .tile[aria-label="hevc.mp4"]');
    const note = page.locator("[data-testid=video-rendition]");
    await note.waitFor();
    expect(await note.textContent()).toContain("Playing a converted copy (H.264)");
    expect(await note.locator("button").count()).toBe(0);
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>("[data-testid=video]");
      return !!video && video.videoWidth === 640 && video.currentTime > 0.5;
    });
  });
});
