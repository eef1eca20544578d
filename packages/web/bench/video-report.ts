// Medians, ratios and the printed table of bench:video.
import type { PlaybackTimes } from "./video-page-measure.js";

export const SEEK_FRACTIONS = [0.25, 0.5, 0.9];
export const TARGET_RATIO = 1.3;

/** One measured playback: times in the page, bytes the browser received meanwhile. */
export interface Sample {
  times: PlaybackTimes;
  bytes: number;
}

/** All runs of one case on one network. */
export interface CaseRuns {
  caseLabel: string;
  /** The encrypted copy's segment size, as labelled ("64 KiB", "client's choice, 64 KiB"). */
  variant: string;
  network: string;
  encrypted: Sample[];
  plain: Sample[];
  /** Runs not made because an earlier one reached the time bound (the rest would too). */
  skipped: number;
}

/** A missing figure (timeout, failure) counts as infinitely slow, so a median of mostly failures is one. */
export function median(values: readonly (number | null)[]): number {
  const sorted = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Row {
  caseLabel: string;
  variant: string;
  network: string;
  metric: string;
  encrypted: number;
  plain: number;
  ratio: number;
  kind: "ttff" | "seek" | "bytes";
}

export function rowsOf(runs: CaseRuns): Row[] {
  const row = (metric: string, kind: Row["kind"], pick: (s: Sample) => number | null): Row => {
    const encrypted = median(runs.encrypted.map(pick));
    const plain = median(runs.plain.map(pick));
    return {
      caseLabel: runs.caseLabel,
      variant: runs.variant,
      network: runs.network,
      metric,
      encrypted,
      plain,
      ratio: encrypted / plain,
      kind,
    };
  };
  return [
    row("time to first frame", "ttff", (s) => s.times.ttffMs),
    ...SEEK_FRACTIONS.map((f, i) =>
      row(`seek to ${Math.round(f * 100)} %`, "seek", (s) => s.times.seekMs[i] ?? null),
    ),
    row("MB fetched (click → last seek)", "bytes", (s) => s.bytes / 1e6),
  ];
}

const fmtMs = (ms: number, bound: number) =>
  Number.isFinite(ms) ? ms.toFixed(0) : Number.isNaN(ms) ? "-" : `>${bound.toFixed(0)}`;
const fmtRatio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : Number.isNaN(r) ? "-" : "∞");

/** The table, then the worst ratios and whether the target is met everywhere. */
export function report(all: readonly CaseRuns[], boundMs: number): string[] {
  const rows = all.flatMap(rowsOf);
  const lines: string[] = [];
  const widths = [74, 22, 31, 10, 10, 8];
  const line = (cells: string[]) =>
    lines.push(cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" "));
  line(["case", "network", "metric", "encrypted", "plain", "ratio"]);
  for (const r of rows) {
    const value = (v: number) => (r.kind === "bytes" ? v.toFixed(1) : fmtMs(v, boundMs));
    // A timed-out encrypted median still bounds the ratio from below.
    const ratio =
      r.ratio === Number.POSITIVE_INFINITY && Number.isFinite(r.plain)
        ? `>${(boundMs / r.plain).toFixed(1)}×`
        : fmtRatio(r.ratio);
    line([r.caseLabel, r.network, r.metric, value(r.encrypted), value(r.plain), ratio]);
  }
  const said = new Set<Sample>(); // plain samples are shared by the encrypted copies of one case
  for (const runs of all) {
    const failures = [...runs.encrypted, ...runs.plain].filter((s) => s.times.failure && !said.has(s));
    for (const s of failures) said.add(s);
    for (const s of failures) lines.push(`  ${runs.caseLabel} / ${runs.network}: ${s.times.failure}`);
    if (runs.skipped > 0)
      lines.push(
        `  ${runs.caseLabel} / ${runs.network}: ${runs.skipped} encrypted runs skipped after a timeout`,
      );
  }
  const worst = (kind: Row["kind"], of: readonly Row[]) =>
    Math.max(...of.filter((r) => r.kind === kind).map((r) => r.ratio));
  const variants = [...new Set(rows.map((r) => r.variant))];
  if (variants.length > 1)
    for (const variant of variants) {
      const of = rows.filter((r) => r.variant === variant);
      lines.push(
        `  ${variant} segments: worst ttff ${fmtRatio(worst("ttff", of))}, seek ${fmtRatio(worst("seek", of))}`,
      );
    }
  const ttff = worst("ttff", rows);
  const seek = worst("seek", rows);
  const met = ttff <= TARGET_RATIO && seek <= TARGET_RATIO;
  lines.push(
    `ratio ttff=${fmtRatio(ttff)} seek=${fmtRatio(seek)} (worst over cases and networks${variants.length > 1 ? " and segment sizes" : ""}); target ≤ ${TARGET_RATIO}× everywhere: ${met ? "MET" : "NOT MET"}`,
  );
  return lines;
}

/** Each run's figures, for the raw record (docs/measurements/video-*.txt). */
export function rawLines(all: readonly CaseRuns[]): string[] {
  const out: string[] = [];
  const fmt = (v: number | null) => (v === null ? "-" : v.toFixed(0));
  const said = new Set<Sample[]>();
  for (const runs of all) {
    for (const [side, samples] of [
      ["encrypted", runs.encrypted],
      ["plain", runs.plain],
    ] as const) {
      if (said.has(samples)) continue;
      said.add(samples);
      const cells = samples.map(
        (s) =>
          `ttff ${fmt(s.times.ttffMs)} seek ${s.times.seekMs.map(fmt).join("/")} ${(s.bytes / 1e6).toFixed(1)} MB`,
      );
      out.push(`  ${runs.caseLabel} / ${runs.network} / ${side}: ${cells.join(" | ")}`);
    }
  }
  return out;
}
