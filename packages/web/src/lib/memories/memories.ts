/**
 * Memories, computed on this device from the decrypted timeline: "On this day", the photos taken on today's
 * day and month in earlier years, one memory per year. Days are each photo's own local day (`localDay`).
 */
import { type Day, dayKey, isLeapYear, localDay, today } from "../search/local-day.js";
import { newestFirst } from "../state/library-item.js";
import type { LibraryItem } from "../state/media-types.js";

export interface Memory {
  /** The day it happened, "2025-12-07": the route `#/memories/<key>` shows it. */
  key: string;
  yearsAgo: number;
  /** Newest first; the first is the cover. */
  items: LibraryItem[];
}

const mmdd = (mo: number, d: number) => mo * 100 + d;

/** The month-days that count as today's in a past year: 29 February joins 28 February in a common year. */
function sameDays(day: Day): number[] {
  const days = [mmdd(day.mo, day.d)];
  if (day.mo === 2 && day.d === 28 && !isLeapYear(day.y)) days.push(mmdd(2, 29));
  return days;
}

/** The UTC month-days within a day of `days`: a photo's local day is never further than that from its UTC one. */
function nearDays(days: number[]): Set<number> {
  const near = new Set<number>();
  for (const md of days) {
    const noon = Date.UTC(2000, Math.floor(md / 100) - 1, md % 100, 12);
    for (const shift of [-1, 0, 1]) {
      const d = new Date(noon + shift * 86_400_000);
      near.add(mmdd(d.getUTCMonth() + 1, d.getUTCDate()));
    }
  }
  return near;
}

/** "On this day": one memory per earlier year with photos on today's day and month, the most recent year first. */
export function onThisDay(items: readonly LibraryItem[], now: Date): Memory[] {
  const day = today(now);
  const days = sameDays(day);
  const near = nearDays(days);
  const byYear = new Map<number, LibraryItem[]>();
  for (const item of items) {
    if (item.trashedAt || !item.time) continue;
    const utc = new Date(item.time);
    if (!near.has(mmdd(utc.getUTCMonth() + 1, utc.getUTCDate()))) continue;
    const own = localDay(item);
    if (own.y >= day.y || !days.includes(mmdd(own.mo, own.d))) continue;
    const list = byYear.get(own.y);
    if (list) list.push(item);
    else byYear.set(own.y, [item]);
  }
  return [...byYear.entries()]
    .sort(([a], [b]) => b - a)
    .map(([year, list]) => ({
      key: dayKey({ y: year, mo: day.mo, d: day.d }),
      yearsAgo: day.y - year,
      items: list.sort(newestFirst),
    }));
}

/** The memory a key names, on the same terms as the strip showed it (undefined for a key that is no day). */
export function memoryOf(items: readonly LibraryItem[], key: string, now: Date): Memory | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Today's memories of that year, as seen on that day of a year after it (a leap year for 29 February).
  let later = y + 1;
  while (mo === 2 && d === 29 && !isLeapYear(later)) later++;
  const found = onThisDay(items, new Date(later, mo - 1, d, 12)).find((memory) => memory.key === key);
  return found && { ...found, yearsAgo: today(now).y - y };
}
