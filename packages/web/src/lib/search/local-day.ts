import type { LibraryItem } from "../state/media-types.js";
import { isTimeZone, zoneOffsetMinutes } from "../viewer/datetime.js";

/** A calendar day: year, month 1–12, day 1–31. */
export interface Day {
  y: number;
  mo: number;
  d: number;
}

/** An explicit UTC offset at the end of an ISO 8601 time ("+02:00", "-0530"); "Z" says nothing of the place. */
const OFFSET = /([+-])(\d{2}):?(\d{2})$/;

const zoneValid = new Map<string, boolean>();

/**
 * The day an item was taken on, in its own local time: the file's `timeZone` when it names a zone, else the
 * offset written in `takenAt`, else the browser's zone.
 */
export function localDay(item: LibraryItem): Day {
  const ms = item.time;
  const zone = item.meta.timeZone;
  if (zone) {
    let valid = zoneValid.get(zone);
    if (valid === undefined) {
      valid = isTimeZone(zone);
      zoneValid.set(zone, valid);
    }
    if (valid) return utcDay(ms + zoneOffsetMinutes(ms, zone) * 60_000);
  }
  const taken = item.meta.takenAt;
  const m = taken ? OFFSET.exec(taken) : null;
  if (m && Date.parse(taken!) === ms) {
    const offset = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    return utcDay(ms + offset * 60_000);
  }
  const date = new Date(ms);
  return { y: date.getFullYear(), mo: date.getMonth() + 1, d: date.getDate() };
}

function utcDay(ms: number): Day {
  const date = new Date(ms);
  return { y: date.getUTCFullYear(), mo: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

/** The browser's local day of an instant. */
export function today(now: Date): Day {
  return { y: now.getFullYear(), mo: now.getMonth() + 1, d: now.getDate() };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, mo: number): number {
  return mo === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "2021-07-04". */
export function dayKey(day: Day): string {
  return `${pad(day.y, 4)}-${pad(day.mo)}-${pad(day.d)}`;
}
