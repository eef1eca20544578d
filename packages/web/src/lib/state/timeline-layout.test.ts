import { describe, expect, it } from "vitest";
import type { LibraryItem } from "./media-types.js";
import {
  anchorAt,
  anchoredScrollTop,
  aspectOf,
  DEFAULT_LAYOUT,
  dayRange,
  firstVisibleRow,
  itemsInRect,
  layoutTimeline,
  visibleRows,
} from "./timeline-layout.js";

function item(i: number, time: number): LibraryItem {
  return {
    id: `f_${i}`,
    meta: { name: `IMG_${i}.jpg`, mime: "image/jpeg", size: 1 },
    time,
    albumIds: [],
    trashedAt: null,
    contentSize: 1,
    favorite: false,
  };
}

const DAY = 86_400_000;

describe("layoutTimeline", () => {
  it("puts a month header, then justified rows where the month's days sit side by side", () => {
    // 2021-07-14 (5 items), 2021-07-10 (1 item), 2019-03-02 (2 items), newest first, all square.
    const base = Date.UTC(2021, 6, 14, 12);
    const items = [
      ...Array.from({ length: 5 }, (_, i) => item(i, base - i * 1000)),
      item(5, base - 4 * DAY),
      item(6, Date.UTC(2019, 2, 2, 12)),
      item(7, Date.UTC(2019, 2, 2, 11)),
    ];
    const layout = layoutTimeline(items, { ...DEFAULT_LAYOUT, tileTarget: 100, width: 300 });
    expect(layout.rows.map((r) => r.kind)).toEqual(["month", "tiles", "tiles", "month", "tiles"]);
    const tiles = layout.rows.filter((r) => r.kind === "tiles");
    expect(tiles.map((r) => [r.start, r.count])).toEqual([
      [0, 3],
      [3, 3],
      [6, 2],
    ]);
    // The second row holds the end of 14 July (continued, no repeated heading) and all of 10 July.
    const second = tiles[1]!;
    expect(second.days.map((d) => [d.start, d.count, d.continued])).toEqual([
      [3, 2, true],
      [5, 1, false],
    ]);
    expect(second.days[1]!.x).toBeGreaterThan(second.boxes[1]!.x + second.boxes[1]!.width);
    // A full row fills the width exactly; the month's last row keeps the target height.
    const first = tiles[0]!;
    const right = first.boxes[first.boxes.length - 1]!;
    expect(right.x + right.width).toBeCloseTo(300);
    expect(tiles[2]!.tileHeight).toBe(100);
    expect(layout.years.map((y) => y.year)).toEqual([2021, 2019]);
    const last = layout.rows[layout.rows.length - 1]!;
    expect(layout.height).toBeCloseTo(last.top + last.height);
  });

  it("shows each photo at its aspect ratio: a landscape tile is wider than tall, a rotated one swaps", () => {
    const base = Date.UTC(2021, 6, 14, 12);
    const wide = { ...item(0, base), meta: { ...item(0, base).meta, width: 4000, height: 3000 } };
    const tall = { ...item(1, base - 1), meta: { ...item(1, base).meta, width: 3000, height: 4000 } };
    const turned = {
      ...item(2, base - 2),
      meta: { ...item(2, base).meta, width: 4000, height: 3000, rotation: 90 },
    };
    expect(aspectOf(wide)).toBeCloseTo(4 / 3);
    expect(aspectOf(tall)).toBeCloseTo(3 / 4);
    expect(aspectOf(turned)).toBeCloseTo(3 / 4);
    const layout = layoutTimeline([wide, tall, turned], { ...DEFAULT_LAYOUT, tileTarget: 200, width: 2000 });
    const row = layout.rows.find((r) => r.kind === "tiles")!;
    expect(row.kind === "tiles" && row.boxes[0]!.width).toBeGreaterThan(
      row.kind === "tiles" ? row.tileHeight : 0,
    );
    expect(row.kind === "tiles" && row.boxes[1]!.width).toBeLessThan(
      row.kind === "tiles" ? row.tileHeight : 0,
    );
  });

  it("without grouping lays every item out in one flow with no headings", () => {
    const base = Date.UTC(2021, 6, 14, 12);
    const items = Array.from({ length: 7 }, (_, i) => item(i, base - i * 40 * DAY));
    const layout = layoutTimeline(items, { ...DEFAULT_LAYOUT, tileTarget: 100, width: 300, grouped: false });
    expect(layout.rows.every((r) => r.kind === "tiles" && r.labelHeight === 0)).toBe(true);
    expect(layout.rows.map((r) => r.count)).toEqual([3, 3, 1]);
  });

  it("finds a day's range and the tiles a drag rectangle crosses", () => {
    const base = Date.UTC(2021, 6, 14, 12);
    const items = [...Array.from({ length: 5 }, (_, i) => item(i, base - i * 1000)), item(5, base - 4 * DAY)];
    expect(dayRange(items, 3)).toEqual([0, 5]);
    expect(dayRange(items, 5)).toEqual([5, 6]);
    const layout = layoutTimeline(items, { ...DEFAULT_LAYOUT, tileTarget: 100, width: 300 });
    const first = layout.rows.find((r) => r.kind === "tiles")!;
    const y = first.top + (first.kind === "tiles" ? first.labelHeight : 0) + 10;
    expect(itemsInRect(layout.rows, { x: 0, y, w: 150, h: 5 })).toEqual([0, 1]);
    expect(itemsInRect(layout.rows, { x: 0, y, w: 300, h: 400 }).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
  });

  it("keeps the DOM small for 100,000 items: only rows near the viewport are returned", () => {
    const start = Date.UTC(2024, 0, 1);
    const items = Array.from({ length: 100_000 }, (_, i) => item(i, start - i * 3_600_000));
    const layout = layoutTimeline(items, { ...DEFAULT_LAYOUT, width: 1200 });
    const tileCount = layout.rows.reduce((n, r) => n + (r.kind === "tiles" ? r.count : 0), 0);
    expect(tileCount).toBe(100_000);
    const middle = layout.height / 2;
    const rows = visibleRows(layout.rows, middle, middle + 900);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(20);
    for (const r of rows) expect(r.top + r.height > middle && r.top < middle + 900).toBe(true);
    const i = firstVisibleRow(layout.rows, middle);
    expect(layout.rows[i - 1]!.top + layout.rows[i - 1]!.height).toBeLessThanOrEqual(middle);
  });
});

describe("viewport anchoring while items sort in", () => {
  const opts = { ...DEFAULT_LAYOUT, tileTarget: 100, width: 300 };
  const base = Date.UTC(2021, 6, 14, 12);

  it("keeps the photo at the top of the viewport in place when newer and older photos arrive", () => {
    const first = Array.from({ length: 60 }, (_, i) => item(i, base - i * 3_600_000));
    const before = layoutTimeline(first, opts);
    const scrollTop = 900;
    const anchor = anchorAt(before.rows, first, scrollTop)!;
    expect(anchor).not.toBeNull();
    // A later sync page: newer photos (sorted above) and older ones (below).
    const later = [
      ...Array.from({ length: 40 }, (_, i) => item(100 + i, base + (i + 1) * 86_400_000)),
      ...first,
      ...Array.from({ length: 20 }, (_, i) => item(200 + i, base - 90 * 86_400_000 - i)),
    ];
    const after = layoutTimeline(later, opts);
    const top = anchoredScrollTop(after.rows, later, anchor)!;
    expect(top).toBeGreaterThan(scrollTop);
    const again = anchorAt(after.rows, later, top)!;
    const row = after.rows.find((r) => r.kind === "tiles" && later[r.start]!.id === again.id)!;
    expect(
      row.kind === "tiles" && later.slice(row.start, row.start + row.count).some((i) => i.id === anchor.id),
    ).toBe(true);
    expect(again.offset).toBeCloseTo(anchor.offset);
  });

  it("does not anchor at the very top, and gives up when the photo is gone", () => {
    const items = Array.from({ length: 10 }, (_, i) => item(i, base - i));
    const layout = layoutTimeline(items, opts);
    expect(anchorAt(layout.rows, items, 0)).toBeNull();
    expect(anchoredScrollTop(layout.rows, items, { id: "f_missing", offset: 0 })).toBeUndefined();
  });
});
