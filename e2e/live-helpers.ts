import { CHROMIUM_ARGS, chromiumExecutable } from "@umbra/test-harness/chromium";
import { type Browser, chromium, type Page } from "playwright-core";
import { PAGE_WAIT_MS } from "./sharing-helpers.js";

/**
 * Chromium with a fake camera and microphone (a moving test pattern and a beep) that asks no permission, and
 * media that may play without a gesture: what a recording test needs.
 */
export function launchChromiumWithFakeCamera(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    args: [
      ...CHROMIUM_ARGS,
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

export interface Recording {
  fileId: string;
  /** Wall time (ms) of the recorder's start event: media time 0. */
  startedAt: number;
}

/** Opens the recorder from the top bar, starts a camera recording into the library, waits until it records. */
export async function startRecording(page: Page): Promise<Recording> {
  await page.click("[data-testid=record-button]");
  await page.click("[data-testid=recorder] button:has-text('Start recording')");
  const recorder = await page.waitForSelector(
    "[data-testid=recorder][data-phase=recording][data-file-id], [data-testid=recorder] [role=alert]",
  );
  if ((await recorder.getAttribute("role")) === "alert")
    throw new Error(`The recorder did not start: ${await recorder.textContent()}`);
  return {
    fileId: (await recorder.getAttribute("data-file-id"))!,
    startedAt: Number(await recorder.getAttribute("data-started-at")),
  };
}

/** Waits until the recorder's clock shows at least `seconds` of recording. */
export async function waitForElapsed(page: Page, fileId: string, seconds: number): Promise<void> {
  await page.waitForFunction(
    ({ fileId, seconds }) => {
      const el = document.querySelector(`[data-testid=recorder][data-file-id="${fileId}"]`);
      const elapsed = el?.querySelector("[data-testid=record-elapsed]")?.textContent ?? "0:00";
      const [m, s] = elapsed.split(":").map(Number);
      return (m ?? 0) * 60 + (s ?? 0) >= seconds;
    },
    { fileId, seconds },
    { timeout: PAGE_WAIT_MS },
  );
}

export interface FrameSample {
  /** Wall time (ms since the epoch) the frame was due on screen. */
  shownAt: number;
  /** The frame's media time, seconds. */
  mediaTime: number;
}

/**
 * Collects the frames the page's player presents (requestVideoFrameCallback) until `count` were shown, and
 * returns them: proof that frames render, and the data for capture-to-display latency.
 */
export async function presentedFrames(page: Page, count: number): Promise<FrameSample[]> {
  return page.evaluate(
    (count) =>
      new Promise<FrameSample[]>((resolve) => {
        const video = document.querySelector<HTMLVideoElement>("[data-testid=live-video]")!;
        const samples: FrameSample[] = [];
        const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
          samples.push({
            shownAt: performance.timeOrigin + meta.expectedDisplayTime,
            mediaTime: meta.mediaTime,
          });
          if (samples.length >= count) resolve(samples);
          else video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
      }),
    count,
  );
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
