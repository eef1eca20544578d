// bench:video: the web app's viewer playing an encrypted video vs a plain <video src> of the same bytes from
// the same server, in Debian Chromium, unthrottled and through a shaped link. See video.bench.ts for the env.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { buildWeb, startServer } from "@umbra/test-harness";
import { launchChromium } from "@umbra/test-harness/chromium";
import type { Browser, BrowserContext } from "playwright-core";
import { defaultFixtureDir, makeFixtures, type VideoCaseName } from "./video-fixtures.js";
import { BENCH_PASSWORD, type BenchVideo, type EncryptedCopy, prepareLibrary } from "./video-library.js";
import { armPlayback, collectPlayback, showPlainPlayer } from "./video-page-measure.js";
import { type CaseRuns, rawLines, report, type Sample, SEEK_FRACTIONS } from "./video-report.js";
import {
  describeShape,
  type LinkShape,
  startThrottleProxy,
  type ThrottleProxy,
} from "./video-throttle-proxy.js";

const env = process.env;
const RUNS = Math.max(1, Number(env.UMBRA_BENCH_VIDEO_RUNS ?? 5));
const CASES = (env.UMBRA_BENCH_VIDEO_CASES ?? "faststart,moov-end,large").split(",") as VideoCaseName[];
const SECONDS = Number(env.UMBRA_BENCH_VIDEO_SECONDS ?? 60);
const LARGE_MIB = Number(env.UMBRA_BENCH_VIDEO_LARGE_MIB ?? 1024);
/** Segment sizes to upload each video with (a comma list of KiB), compared in one run; default the client's. */
const SEGMENT_SIZES: (number | undefined)[] = env.UMBRA_BENCH_VIDEO_SEGMENT_KIB
  ? env.UMBRA_BENCH_VIDEO_SEGMENT_KIB.split(",").map((k) => Number(k) * 1024)
  : [undefined];
const TIMEOUT_MS = Number(env.UMBRA_BENCH_VIDEO_TIMEOUT_S ?? 120) * 1000;
const THROTTLE_MBPS = Number(env.UMBRA_BENCH_VIDEO_MBPS ?? 40);
const THROTTLE_RTT_MS = Number(env.UMBRA_BENCH_VIDEO_RTT_MS ?? 40);
const NETWORKS: { key: string; shape: LinkShape }[] = [
  { key: "local", shape: { bitsPerSecond: Number.POSITIVE_INFINITY, rttMs: 0 } },
  { key: "throttled", shape: { bitsPerSecond: THROTTLE_MBPS * 1e6, rttMs: THROTTLE_RTT_MS } },
].filter((n) => (env.UMBRA_BENCH_VIDEO_NETWORKS ?? "local,throttled").split(",").includes(n.key));
const VIEWPORT = { width: 1280, height: 860 };
/** Bound on each step before the measured click (page load, login, the library shown) on a busy machine. */
const PAGE_WAIT_MS = 120_000;

const log = (line: string) => console.log(line);
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

function gitState(): string {
  const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
  try {
    const dirty = git(
      "status",
      "--short",
      "--",
      "packages/web/src",
      "packages/client/src",
      "packages/crypto/src",
    );
    return `${git("rev-parse", "--short", "HEAD")}${dirty ? ` + uncommitted changes in ${dirty.split("\n").length} web/client/crypto files` : ""}`;
  } catch {
    return "unknown";
  }
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, timezoneId: "UTC" });
  // tsx compiles the page functions with esbuild's keepNames, which calls a `__name` helper.
  await context.addInitScript({ content: "globalThis.__name = (f) => f;" });
  context.setDefaultTimeout(PAGE_WAIT_MS);
  return context;
}

/** A playback that could not even start (the page did not load, say) is a failed sample, not the end of the run. */
async function sampleOrFailure(play: () => Promise<Sample>): Promise<Sample> {
  try {
    return await play();
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { times: { ttffMs: null, seekMs: [], failure: `could not play: ${message}` }, bytes: 0 };
  }
}

const armOptions = (selector: string) => ({ selector, fractions: SEEK_FRACTIONS, timeoutMs: TIMEOUT_MS });

/** A fresh context (empty cache) logs in to the app, then the measured click opens the video's viewer. */
async function playEncrypted(browser: Browser, proxy: ThrottleProxy, video: EncryptedCopy): Promise<Sample> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${proxy.url}/#/login`);
    await page.fill("#li-email", video.email);
    await page.fill("#li-password", BENCH_PASSWORD);
    await page.click("form button[type=submit]");
    const tile = `.tile[aria-label^="${video.name},"]`;
    await page.waitForSelector(`${tile} img`, { timeout: PAGE_WAIT_MS });
    await page.waitForSelector("[data-testid=grid][data-loading=false]", { timeout: PAGE_WAIT_MS });
    await armPlayback(page, armOptions("[data-testid=viewer] video"));
    proxy.resetCount();
    await page.click(tile);
    const times = await collectPlayback(page);
    if (times.failure && errors.length > 0)
      times.failure += `; page errors: ${errors.join(" | ").slice(0, 500)}`;
    return { times, bytes: proxy.bytesDown() };
  } finally {
    await context.close();
  }
}

/** A fresh context on a same-origin blank page; the measured click sets a plain <video>'s src. */
async function playPlain(browser: Browser, proxy: ThrottleProxy, video: BenchVideo): Promise<Sample> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await showPlainPlayer(page, proxy.url, video.plainPath);
    await armPlayback(page, armOptions("video"));
    proxy.resetCount();
    await page.click("#play");
    const times = await collectPlayback(page);
    return { times, bytes: proxy.bytesDown() };
  } finally {
    await context.close();
  }
}

/** Shows that the link shaping holds: one small request's round trip and a 4 MiB download's rate. */
async function checkLink(proxy: ThrottleProxy, video: BenchVideo): Promise<string> {
  const get = async (range: string) => {
    const began = performance.now();
    const response = await fetch(`${proxy.url}${video.plainPath}`, { headers: { range } });
    const bytes = (await response.arrayBuffer()).byteLength;
    return { ms: performance.now() - began, bytes };
  };
  await get("bytes=0-0"); // opens the connection
  const small = await get("bytes=0-0");
  const large = await get(`bytes=0-${4 * 1024 * 1024 - 1}`);
  const mbps = (large.bytes * 8) / ((large.ms - small.ms) * 1000);
  return `link check: 1-byte request ${small.ms.toFixed(0)} ms, 4 MiB at ${mbps.toFixed(1)} Mbit/s`;
}

/**
 * RUNS rounds of one video on one network: the plain baseline and each encrypted copy (one per segment size)
 * once per round, the order rotating so that each goes first in turn. One CaseRuns per encrypted copy, all
 * sharing the same plain samples.
 */
async function measureCase(
  browser: Browser,
  proxy: ThrottleProxy,
  video: BenchVideo,
  network: string,
): Promise<CaseRuns[]> {
  const plain: Sample[] = [];
  const copies = video.encrypted.map((copy) => ({
    copy,
    runs: {
      caseLabel: `${video.fixture.label}, ${copy.segmentLabel} segments`,
      variant: copy.segmentLabel,
      network,
      encrypted: [],
      plain,
      skipped: 0,
    } as CaseRuns,
  }));
  const sides: (EncryptedCopy | "plain")[] = ["plain", ...video.encrypted];
  for (let run = 0; run < RUNS; run++) {
    const order = sides.map((_, i) => sides[(i + run) % sides.length]!);
    for (const side of order) {
      if (side === "plain") {
        plain.push(await sampleOrFailure(() => playPlain(browser, proxy, video)));
        continue;
      }
      const { runs } = copies.find((c) => c.copy === side)!;
      // Once a playback reached the bound the others would too: skip them rather than wait.
      if (runs.encrypted.some((s) => s.times.failure?.startsWith("timed out"))) runs.skipped++;
      else runs.encrypted.push(await sampleOrFailure(() => playEncrypted(browser, proxy, side)));
    }
    const ttff = (s: Sample[]) => s[s.length - 1]?.times.ttffMs?.toFixed(0) ?? "-";
    const encrypted = copies.map((c) => `${c.copy.segmentLabel} ${ttff(c.runs.encrypted)} ms`).join(", ");
    log(
      `  ${video.fixture.name} ${network} run ${run + 1}/${RUNS}: ttff encrypted ${encrypted}; plain ${ttff(plain)} ms`,
    );
  }
  for (const { copy, runs } of copies) {
    const player = runs.encrypted.find((s) => s.times.src)?.times;
    if (player)
      log(
        `    ${copy.name} played from ${player.src} (Service Worker controlling the page: ${player.serviceWorker ? "yes" : "no"})`,
      );
  }
  return copies.map((c) => c.runs);
}

export async function runVideoBench(): Promise<void> {
  log(`Video bench: ${new Date().toISOString()}, commit ${gitState()}`);
  log(`  load average at start: ${loadAverage()} (${cpus().length} cores)`);
  log(
    `  ${RUNS} runs per case and network (encrypted and plain alternating first), seeks to ${SEEK_FRACTIONS.map((f) => `${f * 100} %`).join(", ")}, bound ${TIMEOUT_MS / 1000} s per playback`,
  );
  const fixtureDir = env.UMBRA_BENCH_VIDEO_CACHE ?? defaultFixtureDir();
  log(`  fixtures in ${fixtureDir} (made once with ffmpeg)`);
  const fixtures = await makeFixtures(CASES, { seconds: SECONDS, largeMiB: LARGE_MIB, cacheDir: fixtureDir });
  // Its own build: other suites rebuild packages/web/dist in place, under a server serving it.
  const webDir = mkdtempSync(path.join(tmpdir(), "umbra-video-bench-web-"));
  buildWeb(webDir);
  const totalBytes = fixtures.reduce((t, f) => t + f.size, 0);
  const server = await startServer({
    webDir,
    logLevel: "warn",
    logToFile: true,
    env: { UMBRA_QUOTA_BYTES: String(Math.max(5 * 2 ** 30, totalBytes * 3)) },
  });
  const proxies: ThrottleProxy[] = [];
  let browser: Browser | undefined;
  try {
    const videos = await prepareLibrary(server.url, server.dataDir, fixtures, SEGMENT_SIZES, log);
    log(
      "  network: a TCP proxy in this process between Chromium and the server (so it shapes Service Worker " +
        "fetches exactly as page fetches): unthrottled = pass-through on loopback; throttled = token bucket " +
        "each direction + half the RTT each way + one RTT per new connection",
    );
    browser = await launchChromium();
    const all: CaseRuns[] = [];
    for (const network of NETWORKS) {
      const proxy = await startThrottleProxy(server.url, network.shape);
      proxies.push(proxy);
      const label = describeShape(network.shape);
      if (videos[0]) log(`  ${label}: ${await checkLink(proxy, videos[0])}`);
      for (const video of videos) all.push(...(await measureCase(browser, proxy, video, label)));
    }
    log("");
    for (const line of report(all, TIMEOUT_MS)) log(line);
    log("");
    log("each run:");
    for (const line of rawLines(all)) log(line);
    log(`load average at end: ${loadAverage()}`);
  } finally {
    await browser?.close();
    for (const proxy of proxies) await proxy.close();
    await server.stop();
    rmSync(webDir, { recursive: true, force: true });
  }
}
