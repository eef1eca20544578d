/**
 * The viewer's zoom and pan, as pure functions of sizes and points (no DOM): the component feeds pointer, wheel
 * and pinch events in and draws the result as one CSS transform.
 *
 * Coordinates: a point is in viewport pixels from the viewport's top-left corner. The content is drawn centred,
 * fitted (contain) into the viewport at zoom 1, then `translate(x, y) scale(zoom)` around its centre: a content
 * point `u` (pixels from the content's centre at zoom 1) shows at `centre + (x, y) + zoom · u`.
 */

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Zoom factor and pan offset (pixels) of the content. */
export interface View {
  zoom: number;
  x: number;
  y: number;
}

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 8;
/** Where a double-click (or double-tap) zooms in to. */
export const DOUBLE_CLICK_ZOOM = 2.5;
export const IDENTITY: View = Object.freeze({ zoom: 1, x: 0, y: 0 });

export function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom)) return MIN_ZOOM;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The content's size at zoom 1: `content` scaled to fit inside `viewport`, aspect ratio kept. */
export function fitSize(content: Size, viewport: Size): Size {
  if (content.width <= 0 || content.height <= 0) return { width: viewport.width, height: viewport.height };
  const scale = Math.min(viewport.width / content.width, viewport.height / content.height);
  return { width: content.width * scale, height: content.height * scale };
}

/** A content size seen after a clockwise rotation of `degrees` (a multiple of 90): width and height swap at 90 and 270. */
export function rotatedSize(size: Size, degrees: number): Size {
  return Math.abs(degrees) % 180 === 90 ? { width: size.height, height: size.width } : size;
}

/**
 * Keeps the zoom in 1..8 and the pan such that the zoomed content always covers the rectangle it covered at
 * zoom 1 (no more empty space than unzoomed, whichever side): |x| ≤ fitted.width · (zoom − 1) / 2, same for y.
 * Zooming in toward any point of the content never hits this bound, so that point stays under the cursor.
 */
export function clampView(view: View, fitted: Size): View {
  const zoom = clampZoom(view.zoom);
  const maxX = (fitted.width * (zoom - 1)) / 2;
  const maxY = (fitted.height * (zoom - 1)) / 2;
  const clamp = (v: number, max: number) => (Number.isFinite(v) ? Math.min(max, Math.max(-max, v)) : 0);
  return { zoom, x: clamp(view.x, maxX) + 0, y: clamp(view.y, maxY) + 0 };
}

/** The viewport point where a content point shows, and back (`u` in content pixels from its centre at zoom 1). */
export function toScreen(view: View, viewport: Size, u: Point): Point {
  return {
    x: viewport.width / 2 + view.x + view.zoom * u.x,
    y: viewport.height / 2 + view.y + view.zoom * u.y,
  };
}

export function toContent(view: View, viewport: Size, p: Point): Point {
  return {
    x: (p.x - viewport.width / 2 - view.x) / view.zoom,
    y: (p.y - viewport.height / 2 - view.y) / view.zoom,
  };
}

/** Zooms to `zoom` (clamped) keeping the content point under `at` where it is. */
export function zoomAt(view: View, zoom: number, at: Point, fitted: Size, viewport: Size): View {
  const next = clampZoom(zoom);
  const u = toContent(view, viewport, at);
  return clampView(
    { zoom: next, x: at.x - viewport.width / 2 - next * u.x, y: at.y - viewport.height / 2 - next * u.y },
    fitted,
  );
}

export function panBy(view: View, dx: number, dy: number, fitted: Size): View {
  return clampView({ zoom: view.zoom, x: view.x + dx, y: view.y + dy }, fitted);
}

/** The zoom factor of one wheel event: a notch (100 px) is ×1.25 or ÷1.25; trackpad pinches (ctrl + small deltas) are finer. */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const bounded = Math.max(-300, Math.min(300, pixels));
  return Math.exp(-bounded * (Math.log(1.25) / 100));
}

/**
 * Two-finger pinch: from the view when both fingers went down (`a0`, `b0`), the view for the fingers now at
 * `a1`, `b1`. The zoom follows the fingers' distance, and the content point that was under their midpoint follows
 * the midpoint (so a pinch also pans).
 */
export function pinch(
  start: View,
  a0: Point,
  b0: Point,
  a1: Point,
  b1: Point,
  fitted: Size,
  viewport: Size,
): View {
  const d0 = Math.hypot(b0.x - a0.x, b0.y - a0.y);
  const d1 = Math.hypot(b1.x - a1.x, b1.y - a1.y);
  const zoom = clampZoom(d0 > 0 ? (start.zoom * d1) / d0 : start.zoom);
  const m0 = { x: (a0.x + b0.x) / 2, y: (a0.y + b0.y) / 2 };
  const m1 = { x: (a1.x + b1.x) / 2, y: (a1.y + b1.y) / 2 };
  const u = toContent(start, viewport, m0);
  return clampView(
    { zoom, x: m1.x - viewport.width / 2 - zoom * u.x, y: m1.y - viewport.height / 2 - zoom * u.y },
    fitted,
  );
}

/**
 * One animation frame from `current` toward `target` (exponential ease, time constant `tauMs`); snaps when within
 * a hundredth of a pixel. Zoom and pan move by the same fraction, which keeps a zoom's anchor point fixed on the
 * way (the anchor is an affine combination of both).
 */
export function approach(current: View, target: View, dtMs: number, tauMs = 70): View {
  const f = 1 - Math.exp(-Math.max(0, dtMs) / tauMs);
  const next = {
    zoom: current.zoom + (target.zoom - current.zoom) * f,
    x: current.x + (target.x - current.x) * f,
    y: current.y + (target.y - current.y) * f,
  };
  return sameView(next, target) ? { ...target } : next;
}

export function sameView(a: View, b: View): boolean {
  return Math.abs(a.zoom - b.zoom) < 1e-4 && Math.abs(a.x - b.x) < 0.01 && Math.abs(a.y - b.y) < 0.01;
}

/** The CSS transform drawing `view` (the element sits centred, transform-origin at its centre), then `rotation`. */
export function transformOf(view: View, rotation = 0): string {
  const r = rotation ? ` rotate(${rotation}deg)` : "";
  return `translate3d(${view.x.toFixed(2)}px, ${view.y.toFixed(2)}px, 0) scale(${view.zoom.toFixed(4)})${r}`;
}
