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
  // The grid recycles its tiles, so the first in the DOM is not the newest: take the one drawn top left.
  const newest = await page.evaluate(() => {
    const tiles = [...document.querySelectorAll<HTMLElement>("[data-testid=grid] .tile[data-file-id]")];
    const boxes = tiles.map((t) => ({ id: t.dataset.fileId!, box: t.getBoundingClientRect() }));
    const shown = boxes.filter(({ box }) => box.bottom > 0 && box.top < innerHeight && box.width > 0);
    shown.sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left);
    return shown[0]?.id;
  });
  if (!newest) throw new Error("viewer zoom: no tile on screen to open");
  await page.click(`[data-testid=grid] .tile[data-file-id="${newest}"]`);
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
      return Number(img?.getAttribute("data-zoom")) === 8 && img?.getAttribute("data-source") === "original";
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
