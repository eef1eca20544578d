/** Binary units, as the quota is set and as the CLI prints: 5 GiB reads 5.0 GiB, not 5.4 GB. */
const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "—";
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const dayFormat = new Intl.DateTimeFormat("en", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});
const monthFormat = new Intl.DateTimeFormat("en", { month: "long", year: "numeric" });
const fullFormat = new Intl.DateTimeFormat("en", { dateStyle: "full", timeStyle: "short" });

export function formatDay(ms: number): string {
  return dayFormat.format(ms);
}

export function formatMonth(ms: number): string {
  return monthFormat.format(ms);
}

export function formatDateTime(ms: number): string {
  return fullFormat.format(ms);
}

export function formatExposureTime(t: number): string {
  return t >= 1 ? `${t}s` : `1/${Math.round(1 / t)}s`;
}

export function itemCount(n: number): string {
  return `${n} ${n === 1 ? "item" : "items"}`;
}
