/**
 * Capture times as the viewer's editor shows and writes them: `takenAt` is an absolute instant; the user sees
 * and types the wall-clock time in a time zone (the file's `timeZone`, else the browser's), and a saved time is
 * written as ISO 8601 with that zone's UTC offset at that moment ("2021-07-14T10:30:00+02:00").
 */

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone this browser knows (UTC first), for the editor's picker. */
export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported("timeZone") : [];
  return ["UTC", ...zones.filter((z) => z !== "UTC")];
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(
  ms: number,
  zone: string,
): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(ms)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return {
    y: parts.year!,
    mo: parts.month!,
    d: parts.day!,
    h: parts.hour! % 24,
    mi: parts.minute!,
    s: parts.second!,
  };
}

/** The zone's offset from UTC at the instant `ms`, in minutes (Paris in July: 120). */
export function zoneOffsetMinutes(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The instant's wall-clock time in `zone` as an `<input type="datetime-local">` value ("2021-07-14T10:30"). */
export function toLocalInput(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  const seconds = w.s ? `:${pad(w.s)}` : "";
  return `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}${seconds}`;
}

/**
 * The ISO 8601 instant, with the zone's offset, of a wall-clock time typed in `zone`; undefined when `local` is
 * not a date and time. A time skipped by a daylight-saving jump is read with the offset before the jump.
 */
export function fromLocalInput(local: string, zone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (!Number.isFinite(wall)) return undefined;
  // The offset at the guessed instant, then again at the corrected one (they differ only next to a DST change).
  let offset = zoneOffsetMinutes(wall, zone);
  offset = zoneOffsetMinutes(wall - offset * 60_000, zone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "GMT+2" style label of the zone's offset at `ms`. */
export function offsetLabel(ms: number, zone: string): string {
  const offset = zoneOffsetMinutes(ms, zone);
  if (offset === 0) return "UTC";
  const abs = Math.abs(offset);
  const minutes = abs % 60 ? `:${pad(abs % 60)}` : "";
  return `UTC${offset < 0 ? "−" : "+"}${Math.floor(abs / 60)}${minutes}`;
}

/** The capture time in the user's language, in `zone`, with the zone named. */
export function formatInZone(ms: number, zone: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, {
      dateStyle: "full",
      timeStyle: "short",
      timeZone: zone,
    }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}
