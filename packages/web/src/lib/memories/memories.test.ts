import { describe, expect, it } from "vitest";
import type { LibraryItem } from "../state/media-types.js";
import { memoryOf, onThisDay } from "./memories.js";

/** A photo taken at noon, local time of the machine, on that day. */
function photo(id: string, y: number, mo: number, d: number, extra: Partial<LibraryItem> = {}): LibraryItem {
  return {
    id,
    meta: { name: `${id}.jpg`, mime: "image/jpeg", size: 1 },
    time: new Date(y, mo - 1, d, 12).getTime(),
    albumIds: [],
    trashedAt: null,
    contentSize: 1,
    favorite: false,
    ...extra,
  };
}

const now = new Date(2026, 11, 7, 9, 30);

describe("onThisDay", () => {
  it("groups the photos of today's day and month in earlier years, the most recent year first", () => {
    const items = [
      photo("a", 2025, 12, 7),
      photo("b", 2023, 12, 7),
      photo("c", 2023, 12, 7, { time: new Date(2023, 11, 7, 18).getTime() }),
      photo("d", 2025, 12, 8),
      photo("e", 2024, 12, 6),
      photo("today", 2026, 12, 7),
      photo("trashed", 2022, 12, 7, { trashedAt: "2026-01-01T00:00:00Z" }),
    ];
    const memories = onThisDay(items, now);
    expect(memories.map((m) => [m.key, m.yearsAgo, m.items.map((i) => i.id)])).toEqual([
      ["2025-12-07", 1, ["a"]],
      ["2023-12-07", 3, ["c", "b"]],
    ]);
  });

  it("is empty when nothing was taken on this day", () => {
    expect(onThisDay([photo("a", 2025, 12, 8), photo("b", 2026, 12, 7)], now)).toEqual([]);
    expect(onThisDay([], now)).toEqual([]);
  });

  it("reads each photo's day in its own time zone", () => {
    // 23:30 on 7 December in Los Angeles is 8 December in UTC and in Europe.
    const la = photo("la", 2024, 12, 8, {
      time: Date.parse("2024-12-08T07:30:00Z"),
      meta: { name: "la.jpg", mime: "image/jpeg", size: 1, timeZone: "America/Los_Angeles" },
    });
    // 00:30 on 8 December in Tokyo is 7 December in UTC: not a memory of the 7th.
    const tokyo = photo("tokyo", 2024, 12, 7, {
      time: Date.parse("2024-12-07T15:30:00Z"),
      meta: { name: "t.jpg", mime: "image/jpeg", size: 1, takenAt: "2024-12-08T00:30:00+09:00" },
    });
    expect(onThisDay([la, tokyo], now).map((m) => m.items.map((i) => i.id))).toEqual([["la"]]);
  });

  it("shows 29 February on 28 February of a common year", () => {
    const items = [photo("leap", 2024, 2, 29), photo("feb28", 2024, 2, 28), photo("old", 2020, 2, 29)];
    expect(onThisDay(items, new Date(2025, 1, 28, 9)).map((m) => [m.key, m.items.map((i) => i.id)])).toEqual([
      ["2024-02-28", ["leap", "feb28"]],
      ["2020-02-28", ["old"]],
    ]);
    expect(onThisDay(items, new Date(2028, 1, 28, 9)).map((m) => m.key)).toEqual(["2024-02-28"]);
  });
});

describe("memoryOf", () => {
  it("finds the photos of a memory by its key", () => {
    const items = [photo("a", 2025, 12, 7), photo("b", 2023, 12, 7), photo("c", 2023, 12, 8)];
    expect(memoryOf(items, "2023-12-07", now)).toMatchObject({ yearsAgo: 3, items: [{ id: "b" }] });
    expect(memoryOf(items, "2023-12-09", now)).toBeUndefined();
    expect(memoryOf(items, "nonsense", now)).toBeUndefined();
    expect(memoryOf([photo("leap", 2024, 2, 29)], "2024-02-29", now)?.items.map((i) => i.id)).toEqual([
      "leap",
    ]);
  });
});
