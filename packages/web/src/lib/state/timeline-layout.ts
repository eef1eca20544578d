import type { LibraryItem } from "./media-types.js";

/** One row of the virtualized grid: a month header, a day header, or a strip of tiles. */
export type TimelineRow =
  | { kind: "month"; key: string; top: number; height: number; label: number }
  | { kind: "day"; key: string; top: number; height: number; label: number }
  | { kind: "tiles"; key: string; top: number; height: number; start: number; count: number };

export interface TimelineLayout {
  rows: TimelineRow[];
  height: number;
  /** Where each year's first row starts, for the scrubber. */
  years: { year: number; top: number }[];
}

export interface LayoutOptions {
  width: number;
  tileTarget: number;
  gap: number;
  monthHeader: number;
  dayHeader: number;
}

export const DEFAULT_LAYOUT: Omit<LayoutOptions, "width"> = {
  tileTarget: 160,
  gap: 4,
  monthHeader: 56,
  dayHeader: 36,
};

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

export function columnsFor(width: number, tileTarget: number): number {
  return Math.max(2, Math.floor(width / tileTarget));
}

/** Items must be sorted newest first. Rows carry absolute offsets so the grid renders only the visible ones. */
export function layoutTimeline(items: readonly LibraryItem[], opts: LayoutOptions): TimelineLayout {
  const columns = columnsFor(opts.width, opts.tileTarget);
  const tile = (opts.width - opts.gap * (columns - 1)) / columns;
  const rowHeight = tile + opts.gap;
  const rows: TimelineRow[] = [];
  const years: { year: number; top: number }[] = [];
  let top = 0;
  let i = 0;
  let lastMonth = -1;
  while (i < items.length) {
    const first = items[i]!;
    const day = dayKeyOf(first);
    const month = Math.floor(day / 100);
    if (month !== lastMonth) {
      lastMonth = month;
      const year = new Date(first.time).getFullYear();
      if (years.length === 0 || years[years.length - 1]!.year !== year) years.push({ year, top });
      rows.push({ kind: "month", key: `m${month}`, top, height: opts.monthHeader, label: first.time });
      top += opts.monthHeader;
    }
    rows.push({ kind: "day", key: `d${day}:${i}`, top, height: opts.dayHeader, label: first.time });
    top += opts.dayHeader;
    let end = i;
    while (end < items.length && dayKeyOf(items[end]!) === day) end++;
    for (let start = i; start < end; start += columns) {
      const count = Math.min(columns, end - start);
      rows.push({ kind: "tiles", key: `t${start}`, top, height: rowHeight, start, count });
      top += rowHeight;
    }
    i = end;
  }
  return { rows, height: top, years };
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
