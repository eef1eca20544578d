import { currentLocale } from "../i18n/current-locale.js";
import { type Locale, translate } from "../i18n/translate.js";

// Everything here follows the chosen language (read through current-locale.ts, so it stays reactive in markup).
// The Intl objects are made once per language: formatDay runs for every day heading of a large grid.

interface Formats {
  day: Intl.DateTimeFormat;
  month: Intl.DateTimeFormat;
  full: Intl.DateTimeFormat;
  /** Sizes: one decimal below 10, none above, no grouping (1023 KiB, as the CLI prints). */
  oneDecimal: Intl.NumberFormat;
  whole: Intl.NumberFormat;
}

const formatsByLocale = new Map<Locale, Formats>();

function formats(lang: Locale): Formats {
  let f = formatsByLocale.get(lang);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat(lang, {
        weekday: "short",
        day: "numeric",
        month: "short",
        year: "numeric",
      }),
      month: new Intl.DateTimeFormat(lang, { month: "long", year: "numeric" }),
      full: new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "short" }),
      oneDecimal: new Intl.NumberFormat(lang, {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
        useGrouping: false,
      }),
      whole: new Intl.NumberFormat(lang, { maximumFractionDigits: 0, useGrouping: false }),
    };
    formatsByLocale.set(lang, f);
  }
  return f;
}

/** Binary units, as the quota is set and as the CLI prints: 5 GiB reads 5.0 GiB (5,0 Gio), not 5.4 GB. */
const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "—";
  const lang = currentLocale();
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const f = formats(lang);
  const size = (unit > 0 && value < 10 ? f.oneDecimal : f.whole).format(value);
  return translate(lang, `size.${UNITS[unit] ?? "B"}`, { size });
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const lang = currentLocale();
  const s = Math.round(seconds);
  if (s < 60) return translate(lang, "duration.seconds", { s });
  const m = Math.floor(s / 60);
  if (m < 60) return translate(lang, "duration.minutes", { m, s: s % 60 });
  return translate(lang, "duration.hours", { h: Math.floor(m / 60), m: m % 60 });
}

export function formatDay(ms: number): string {
  return formats(currentLocale()).day.format(ms);
}

export function formatMonth(ms: number): string {
  return formats(currentLocale()).month.format(ms);
}

export function formatDateTime(ms: number): string {
  return formats(currentLocale()).full.format(ms);
}

export function formatExposureTime(t: number): string {
  return t >= 1 ? `${t}s` : `1/${Math.round(1 / t)}s`;
}

export function itemCount(n: number): string {
  return translate(currentLocale(), "count.items", { count: n });
}
