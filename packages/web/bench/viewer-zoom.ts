// The viewer at 8×: zooming in on a freshly uploaded 2400 × 1600 photo (the decrypted original swapped in),
// then panning it for a while, each with its frame gaps (compared by the caller with the static-page floor).
import type { Page } from "playwright-core";
import { type FrameStats, startFrames, stopFrames } from "./page-frames.js";

const IMAGE = "[data-testid=viewer-image]";

export interface ZoomResult {
  zoomIn: FrameStats;
  pan: FrameStats;
  /** Login-independent: from the first wheel step to the original shown at 8×. */
  toOriginalMs: number;
}

/** Opens the newest photo (the upload just made), zooms to 8× toward the centre, pans in a circle for `seconds`. */
export async function measureViewerZoom(page: Page, seconds: number): Promise<ZoomResult> {
  await page.evaluate(() => {
    const grid = document.querySelector<HTMLElement>("[data-testid=grid]");
    if (grid) grid.scrollTop = 0;
  });
  await page.click("[data-testid=grid] .tile");
  await page.waitForSelector(`${IMAGE}[data-source]`);
  const box = (await (await page.$(IMAGE))!.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await startFrames(page);
  const began = Date.now();
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -240);
  await page.waitForFunction(
    (sel) => {
      const img = document.querySelector(sel);
      return img?.getAttribute("data-zoom") === "8" && img.getAttribute("data-source") === "original";
    },
    IMAGE,
    { timeout: 60_000 },
  );
  const toOriginalMs = Date.now() - began;
  const zoomIn = await stopFrames(page);

  await startFrames(page);
  await page.mouse.down();
  const end = Date.now() + seconds * 1000;
  for (let step = 0; Date.now() < end; step++) {
    const angle = step / 20;
    await page.mouse.move(cx + Math.cos(angle) * 150, cy + Math.sin(angle) * 100);
  }
  await page.mouse.up();
  const pan = await stopFrames(page);
  await page.keyboard.press("Escape");
  await page.waitForSelector(IMAGE, { state: "detached" });
  return { zoomIn, pan, toOriginalMs };
}
