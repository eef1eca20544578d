// The LivePlayer in real Chromium (bundled with esbuild, Media Source Extensions and all) on a real WebM from
// ffmpeg, its bytes handed out as a reader or by range the way the SDK does.
import { execFileSync } from "node:child_process";
import { openLocalPage } from "@umbra/test-harness/chromium";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let page: Page;
let close: () => Promise<void>;
let webm: Buffer;

beforeAll(async () => {
  webm = execFileSync("/usr/bin/ffmpeg", [
    ...["-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=20:size=320x240:rate=15"],
    ...["-f", "lavfi", "-i", "sine=duration=20", "-c:v", "libvpx", "-b:v", "300k", "-g", "15"],
    ...["-c:a", "libopus", "-f", "webm", "-live", "1", "pipe:1"],
  ]);
  const bundle = await build({
    entryPoints: [new URL("./live-player-page.ts", import.meta.url).pathname],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
  });
  ({ page, close } = await openLocalPage({ title: "live player", script: bundle.outputFiles[0]!.text }));
  await page.evaluate(
    (b64) => (window as unknown as { loadWebm(b64: string): void }).loadWebm(b64),
    webm.toString("base64"),
  );
}, 120_000);

afterAll(() => close?.());

interface Probe {
  currentTime: number;
  duration: number;
  readyState: number;
  opens: number;
  rangeBytes: number;
  error?: string;
}

const probe = (): Promise<Probe> => page.evaluate(() => (window as unknown as { probe(): Probe }).probe());

/** Seeks and waits until the frame there can be shown and playback moves on from it. */
async function seekAndPlay(t: number): Promise<void> {
  await page.evaluate((t) => {
    const video = document.querySelector("video")!;
    video.currentTime = t;
  }, t);
  await page.waitForFunction(
    (t) => {
      const v = document.querySelector("video")!;
      return !v.seeking && v.readyState >= 3 && v.currentTime > t + 0.3 && v.currentTime < t + 3;
    },
    t,
    { timeout: 60_000 },
  );
}

describe("LivePlayer in Chromium", () => {
  it("plays a finished recording read in order, and seeks back past what it dropped by reading again", async () => {
    await page.evaluate(() => (window as unknown as { startStream(): void }).startStream());
    await page.waitForFunction(() => document.querySelector("video")!.currentTime > 0.5, null, {
      timeout: 60_000,
    });
    await seekAndPlay(15);
    // What lies more than 2 s behind the playhead was dropped: a seek there reads the stream again.
    expect((await probe()).opens).toBe(1);
    await seekAndPlay(1);
    const after = await probe();
    expect(after.opens).toBe(2);
    expect(after.error).toBeUndefined();
  });

  it("plays a finished recording from its index: the true duration at once, only the ranges a seek needs", async () => {
    await page.evaluate(() => (window as unknown as { startIndexed(): void }).startIndexed());
    await page.waitForFunction(() => document.querySelector("video")!.readyState >= 1, null, {
      timeout: 60_000,
    });
    expect((await probe()).duration).toBeCloseTo(20, 0);
    await seekAndPlay(12);
    const after = await probe();
    expect(after.opens).toBe(0);
    // From the Cluster before 12 s with 2 s of read-ahead: far less than the whole file.
    expect(after.rangeBytes).toBeLessThan(webm.length * 0.6);
    expect(after.error).toBeUndefined();
  });
});
