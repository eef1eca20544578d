import type { LibraryItem } from "./media-types.js";

/** A photo's box in a justified row: its left edge and width; every box of a row has the row's height. */
export interface TileBox {
  x: number;
  width: number;
}

/** Where a day's photos begin in a row, and its heading above them (days sit side by side within a month). */
export interface DayLabel {
  x: number;
  /** The day's first item in this row, and how many of its items this row holds (for "select the day"). */
  start: number;
  count: number;
  time: number;
  /** The day began in an earlier row: its heading is not repeated. */
  continued: boolean;
}

/** One row of the virtualized grid: a month header, or a justified strip of tiles with its day headings. */
export type TimelineRow =
  | { kind: "month"; key: string; top: number; height: number; label: number; start: number; count: number }
  | {
      kind: "tiles";
      key: string;
      top: number;
      height: number;
      /** Height of the tiles themselves (the row's height adds the day heading band and the gap). */
      tileHeight: number;
      /** The band above the tiles holding day headings (0 when no day starts in this row). */
      labelHeight: number;
      start: number;
      count: number;
      boxes: TileBox[];
      days: DayLabel[];
    };

export interface TimelineLayout {
  rows: TimelineRow[];
  height: number;
  /** Where each year's first row starts, for the scrubber. */
  years: { year: number; top: number }[];
}

export interface LayoutOptions {
  width: number;
  /** The height rows aim at (the density): each row is scaled so its photos fill the width exactly. */
  tileTarget: number;
  gap: number;
  /** Extra space between two days that share a row. */
  dayGap: number;
  monthHeader: number;
  dayHeader: number;
  /** Group by date with headings (the timeline); without, one justified flow (search results keep dates). */
  grouped: boolean;
}

export const DEFAULT_LAYOUT: Omit<LayoutOptions, "width"> = {
  tileTarget: 180,
  gap: 4,
  dayGap: 16,
  monthHeader: 52,
  dayHeader: 30,
  grouped: true,
};

/** The grid's densities: target row heights in CSS pixels, smallest first (Ctrl/⌘ + wheel steps through them). */
export const DENSITIES = [100, 150, 200, 280] as const;

/** yyyymmdd in local time as one number: a single Date per item keeps 100,000 items fast. */
function localDayKey(ms: number): number {
  const d = new Date(ms);
  return d.getFullYear() * 10_000 + d.getMonth() * 100 + d.getDate();
}

/**
 * Day keys of items already laid out: a library load lays out the whole library again on each snapshot,
 * and the Date work per item was most of that. Items are immutable (a change makes a new object).
 */
const dayKeys = new WeakMap<LibraryItem, number>();

function dayKeyOf(item: LibraryItem): number {
  let key = dayKeys.get(item);
  if (key === undefined) {
    key = localDayKey(item.time);
    dayKeys.set(item, key);
  }
  return key;
}

/** Width over height as shown: rotation by a quarter turn swaps them; unknown sizes are square; extremes clamped. */
export function aspectOf(item: LibraryItem): number {
  const { width, height } = item.meta;
  if (!width || !height) return 1;
  const rotation = item.meta.rotation ?? 0;
  const ratio = rotation % 180 === 0 ? width / height : height / width;
  return Math.min(3, Math.max(1 / 2.5, ratio));
}

export function columnsFor(width: number, tileTarget: number): number {
  return Math.max(2, Math.floor(width / tileTarget));
}

interface Pending {
  start: number;
  aspects: number[];
  /** Day boundaries inside the row: item offsets where a new day starts (the first one included). */
  dayStarts: { offset: number; continued: boolean; time: number }[];
}

/**
 * Items must be sorted newest first. Within each month, photos flow through justified rows at their aspect
 * ratio (days side by side, each with its heading); rows carry absolute offsets so the grid renders only the
 * visible ones.
 */
export function layoutTimeline(items: readonly LibraryItem[], opts: LayoutOptions): TimelineLayout {
  const rows: TimelineRow[] = [];
  const years: { year: number; top: number }[] = [];
  const width = Math.max(1, opts.width);
  let top = 0;
  let i = 0;
  while (i < items.length) {
    const first = items[i]!;
    const month = Math.floor(dayKeyOf(first) / 100);
    let end = i;
    if (opts.grouped) while (end < items.length && Math.floor(dayKeyOf(items[end]!) / 100) === month) end++;
    else end = items.length;
    if (opts.grouped) {
      const year = new Date(first.time).getFullYear();
      if (years.length === 0 || years[years.length - 1]!.year !== year) years.push({ year, top });
      rows.push({
        kind: "month",
        key: `m${month}:${i}`,
        top,
        height: opts.monthHeader,
        label: first.time,
        start: i,
        count: end - i,
      });
      top += opts.monthHeader;
    }
    top = justify(items, i, end, width, opts, rows, top);
    i = end;
  }
  return { rows, height: top, years };
}

/** Lays items [from, to) out in justified rows from `top`; returns the bottom. */
function justify(
  items: readonly LibraryItem[],
  from: number,
  to: number,
  width: number,
  opts: LayoutOptions,
  rows: TimelineRow[],
  top: number,
): number {
  let row: Pending | null = null;
  let lastDay = -1;
  const emit = (pending: Pending, full: boolean) => {
    const n = pending.aspects.length;
    const gaps = opts.gap * (n - 1) + opts.dayGap * (pending.dayStarts.length - 1);
    const sum = pending.aspects.reduce((a, b) => a + b, 0);
    // A full row fills the width exactly; the last row of a group keeps the target height (not blown up).
    const fitted = (width - gaps) / sum;
    const tileHeight = full ? fitted : Math.min(opts.tileTarget, fitted);
    const boxes: TileBox[] = [];
    const days: DayLabel[] = [];
    let x = 0;
    let d = 0;
    for (let k = 0; k < n; k++) {
      const dayStart = pending.dayStarts[d];
      if (dayStart && dayStart.offset === k) {
        if (k > 0) x += opts.dayGap - opts.gap;
        const next = pending.dayStarts[d + 1]?.offset ?? n;
        days.push({
          x,
          start: pending.start + k,
          count: next - k,
          time: dayStart.time,
          continued: dayStart.continued,
        });
        d++;
      }
      const w = pending.aspects[k]! * tileHeight;
      boxes.push({ x, width: w });
      x += w + opts.gap;
    }
    const labelHeight = opts.grouped && days.some((day) => !day.continued) ? opts.dayHeader : 0;
    rows.push({
      kind: "tiles",
      key: `t${pending.start}`,
      top,
      height: labelHeight + tileHeight + opts.gap,
      tileHeight,
      labelHeight,
      start: pending.start,
      count: n,
      boxes,
      days,
    });
    top += labelHeight + tileHeight + opts.gap;
  };
  for (let k = from; k < to; k++) {
    const item = items[k]!;
    const day = opts.grouped ? dayKeyOf(item) : 0;
    row ??= { start: k, aspects: [], dayStarts: [] };
    if (day !== lastDay || row.aspects.length === 0)
      row.dayStarts.push({ offset: row.aspects.length, continued: day === lastDay, time: item.time });
    lastDay = day;
    row.aspects.push(aspectOf(item));
    const gaps = opts.gap * (row.aspects.length - 1) + opts.dayGap * (row.dayStarts.length - 1);
    const sum = row.aspects.reduce((a, b) => a + b, 0);
    if (sum * opts.tileTarget + gaps >= width) {
      emit(row, true);
      row = null;
    }
  }
  if (row) emit(row, false);
  return top;
}

/** Binary search for the first row whose bottom is below `y`. */
export function firstVisibleRow(rows: readonly TimelineRow[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = rows[mid]!;
    if (row.top + row.height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function visibleRows(rows: readonly TimelineRow[], top: number, bottom: number): TimelineRow[] {
  const out: TimelineRow[] = [];
  for (let i = firstVisibleRow(rows, top); i < rows.length; i++) {
    const row = rows[i]!;
    if (row.top >= bottom) break;
    out.push(row);
  }
  return out;
}

/** The first photo of the first tile row at `scrollTop`, and how far that row's top is from it. */
export function anchorAt(
  rows: readonly TimelineRow[],
  items: readonly LibraryItem[],
  scrollTop: number,
): { id: string; offset: number } | null {
  if (scrollTop <= 0) return null; // At the very top the newest photos stay in view as they arrive.
  for (let i = firstVisibleRow(rows, scrollTop); i < rows.length; i++) {
    const row = rows[i]!;
    if (row.kind !== "tiles") continue;
    const item = items[row.start];
    return item ? { id: item.id, offset: row.top - scrollTop } : null;
  }
  return null;
}

/** Where to scroll so the anchored photo's row sits where it was; undefined when the photo is gone. */
export function anchoredScrollTop(
  rows: readonly TimelineRow[],
  items: readonly LibraryItem[],
  anchor: { id: string; offset: number },
): number | undefined {
  const index = items.findIndex((item) => item.id === anchor.id);
  if (index < 0) return undefined;
  const row = rows.find((r) => r.kind === "tiles" && index >= r.start && index < r.start + r.count);
  return row ? Math.max(0, row.top - anchor.offset) : undefined;
}

/** The whole day that item `start` begins: [start, end) over the items with its local date. */
export function dayRange(items: readonly LibraryItem[], start: number): [number, number] {
  const first = items[start];
  if (!first) return [start, start];
  const day = dayKeyOf(first);
  let from = start;
  while (from > 0 && dayKeyOf(items[from - 1]!) === day) from--;
  let to = start;
  while (to < items.length && dayKeyOf(items[to]!) === day) to++;
  return [from, to];
}

/** Indices of the items whose tiles a rectangle (in the grid's content coordinates) crosses: drag to select. */
export function itemsInRect(
  rows: readonly TimelineRow[],
  rect: { x: number; y: number; w: number; h: number },
): number[] {
  const hit: number[] = [];
  for (const row of visibleRows(rows, rect.y, rect.y + rect.h)) {
    if (row.kind !== "tiles") continue;
    const top = row.top + row.labelHeight;
    if (top > rect.y + rect.h || top + row.tileHeight < rect.y) continue;
    row.boxes.forEach((box, k) => {
      if (box.x <= rect.x + rect.w && box.x + box.width >= rect.x) hit.push(row.start + k);
    });
  }
  return hit;
}
