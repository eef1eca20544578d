import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  approach,
  clampView,
  clampZoom,
  fitSize,
  IDENTITY,
  MAX_ZOOM,
  panBy,
  pinch,
  rotatedSize,
  sameView,
  toContent,
  toScreen,
  type View,
  wheelFactor,
  zoomAt,
} from "./zoom.js";

const viewport = { width: 1280, height: 800 };
// A 1600 × 1200 photo fitted into 1280 × 800: 1066.67 × 800, letterboxed left and right.
const fitted = fitSize({ width: 1600, height: 1200 }, viewport);

describe("zoom math", () => {
  it("fits the content inside the viewport, keeping its aspect ratio", () => {
    expect(fitted.height).toBe(800);
    expect(fitted.width).toBeCloseTo(1066.667, 2);
    expect(fitSize({ width: 400, height: 100 }, viewport)).toEqual({ width: 1280, height: 320 });
    expect(rotatedSize({ width: 4, height: 3 }, 90)).toEqual({ width: 3, height: 4 });
    expect(rotatedSize({ width: 4, height: 3 }, 180)).toEqual({ width: 4, height: 3 });
  });

  it("keeps the zoom within 1..8", () => {
    expect(clampZoom(0.2)).toBe(1);
    expect(clampZoom(20)).toBe(MAX_ZOOM);
    expect(clampZoom(Number.NaN)).toBe(1);
    expect(zoomAt(IDENTITY, 100, { x: 700, y: 420 }, fitted, viewport).zoom).toBe(8);
    expect(zoomAt(IDENTITY, 0.5, { x: 700, y: 420 }, fitted, viewport)).toEqual(IDENTITY);
  });

  it("keeps the point under the cursor fixed while zooming in, from any view, toward any point of the content", () => {
    const contentPoint = fc.record({
      x: fc.double({ min: -fitted.width / 2, max: fitted.width / 2, noNaN: true }),
      y: fc.double({ min: -fitted.height / 2, max: fitted.height / 2, noNaN: true }),
    });
    fc.assert(
      fc.property(
        contentPoint,
        fc.double({ min: 1, max: 8, noNaN: true }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (u, zoom, factor, px, py) => {
          const start = clampView(
            { zoom, x: (px * fitted.width * (zoom - 1)) / 2, y: (py * fitted.height * (zoom - 1)) / 2 },
            fitted,
          );
          const at = toScreen(start, viewport, u);
          const next = zoomAt(start, start.zoom * factor, at, fitted, viewport);
          if (next.zoom < MAX_ZOOM) expect(next.zoom).toBeCloseTo(start.zoom * factor, 9);
          const after = toScreen(next, viewport, u);
          expect(after.x).toBeCloseTo(at.x, 6);
          expect(after.y).toBeCloseTo(at.y, 6);
        },
      ),
    );
  });

  it("zooming out to 1 comes back to the fitted view", () => {
    const zoomed = zoomAt(IDENTITY, 4, { x: 300, y: 200 }, fitted, viewport);
    expect(zoomed.zoom).toBe(4);
    expect(zoomAt(zoomed, 1, { x: 900, y: 700 }, fitted, viewport)).toEqual(IDENTITY);
  });

  it("clamps the pan so the zoomed content keeps covering what it covered at 1×", () => {
    const zoomed: View = { zoom: 2, x: 0, y: 0 };
    const far = panBy(zoomed, 10_000, -10_000, fitted);
    expect(far.x).toBeCloseTo(fitted.width / 2, 6);
    expect(far.y).toBeCloseTo(-fitted.height / 2, 6);
    // The content's left edge is then at the left edge of the unzoomed content, not further right.
    const left = toScreen(far, viewport, { x: -fitted.width / 2, y: 0 }).x;
    expect(left).toBeCloseTo((viewport.width - fitted.width) / 2, 6);
    expect(panBy(IDENTITY, 50, 50, fitted)).toEqual(IDENTITY);
    expect(panBy(zoomed, 30, -20, fitted)).toEqual({ zoom: 2, x: 30, y: -20 });
  });

  it("pinches toward the fingers' midpoint, and pans with it", () => {
    const a0 = { x: 600, y: 400 };
    const b0 = { x: 700, y: 400 };
    const mid = { x: 650, y: 400 };
    const u = toContent(IDENTITY, viewport, mid);
    // Fingers twice as far apart around the same midpoint: ×2, the midpoint's content stays.
    const spread = pinch(IDENTITY, a0, b0, { x: 550, y: 400 }, { x: 750, y: 400 }, fitted, viewport);
    expect(spread.zoom).toBeCloseTo(2, 9);
    expect(toScreen(spread, viewport, u).x).toBeCloseTo(mid.x, 6);
    // Then both fingers move 40 px down: the content follows.
    const moved = pinch(IDENTITY, a0, b0, { x: 550, y: 440 }, { x: 750, y: 440 }, fitted, viewport);
    expect(toScreen(moved, viewport, u).y).toBeCloseTo(440, 6);
    expect(pinch(IDENTITY, a0, b0, { x: 0, y: 0 }, { x: 5000, y: 0 }, fitted, viewport).zoom).toBe(8);
  });

  it("maps wheel notches to symmetric factors", () => {
    expect(wheelFactor(-100)).toBeCloseTo(1.25, 9);
    expect(wheelFactor(100) * wheelFactor(-100)).toBeCloseTo(1, 9);
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-48), 9);
    expect(wheelFactor(-1e6)).toBe(wheelFactor(-300));
  });

  it("animates toward the target and keeps a zoom's anchor fixed on the way", () => {
    const at = { x: 800, y: 500 };
    const target = zoomAt(IDENTITY, 3, at, fitted, viewport);
    const u = toContent(IDENTITY, viewport, at);
    let view: View = { ...IDENTITY };
    for (let frame = 0; frame < 5; frame++) {
      view = approach(view, target, 16);
      const p = toScreen(view, viewport, u);
      expect(p.x).toBeCloseTo(at.x, 6);
      expect(p.y).toBeCloseTo(at.y, 6);
    }
    expect(view.zoom).toBeGreaterThan(1.5);
    for (let frame = 0; frame < 100; frame++) view = approach(view, target, 16);
    expect(view).toEqual(target);
    expect(sameView(view, target)).toBe(true);
  });
});
