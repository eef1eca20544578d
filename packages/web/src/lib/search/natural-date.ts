/**
 * Dates in a search query, in English or French: "14 July", "July 14", "2021-07-04", "4 July 2021",
 * "July 2021", "2021", "summer 2023" (northern-hemisphere seasons), "last year", "yesterday", "le 14 juillet",
 * "l'été 2023"… The first date found narrows the search; the other words are searched as before.
 */
import type { Locale } from "../i18n/translate.js";
import { translate } from "../i18n/translate.js";
import type { LibraryItem } from "../state/media-types.js";
import { type Day, daysInMonth, localDay, today } from "./local-day.js";

export type Season = "winter" | "spring" | "summer" | "autumn";

/** What the query said, resolved against today for relative words. */
export type DateSpec =
  | { kind: "day"; year?: number; month: number; day: number }
  | { kind: "month"; year?: number; month: number }
  | { kind: "year"; year: number }
  | { kind: "season"; season: Season; year?: number };

export interface DateQuery {
  spec: DateSpec;
  /** Inclusive bounds as yyyymmdd numbers, or mmdd when `anyYear` (then `from > to` wraps over New Year). */
  from: number;
  to: number;
  anyYear: boolean;
  /** The date's words as typed, in lower case: an album named "Paris 2021" is still found by "2021". */
  words: string;
}

export interface ParsedQuery {
  date?: DateQuery;
  /** The query without the words of the date. */
  rest: string;
}

const MONTH_WORDS: Record<string, number> = {};
const ABBREVIATIONS = new Set<string>();
for (const [month, full, short] of [
  [1, "january janvier", "jan janv"],
  [2, "february fevrier", "feb fev fevr"],
  [3, "march mars", "mar"],
  [4, "april avril", "apr avr"],
  [5, "may mai", ""],
  [6, "june juin", "jun"],
  [7, "july juillet", "jul juil"],
  [8, "august aout", "aug"],
  [9, "september septembre", "sep sept"],
  [10, "october octobre", "oct"],
  [11, "november novembre", "nov"],
  [12, "december decembre", "dec"],
] as const) {
  for (const w of full.split(" ")) MONTH_WORDS[w] = month;
  for (const w of short.split(" ").filter(Boolean)) {
    MONTH_WORDS[w] = month;
    ABBREVIATIONS.add(w);
  }
}

const SEASON_WORDS: Record<string, Season> = {
  winter: "winter",
  hiver: "winter",
  spring: "spring",
  printemps: "spring",
  summer: "summer",
  ete: "summer",
  autumn: "autumn",
  fall: "autumn",
  automne: "autumn",
};
/** Season words that are also common words: a date only with a year ("fall 2022", not "waterfall"). */
const SEASON_NEEDS_YEAR = new Set(["fall"]);

/** Months of each season: winter runs from December of its year into the next. */
const SEASON_MONTHS: Record<Season, [number, number]> = {
  winter: [12, 2],
  spring: [3, 5],
  summer: [6, 8],
  autumn: [9, 11],
};

/** Words that may stand just before a date and belong to it ("in 2021", "le 14 juillet", "on July 4"). */
const LEAD_WORDS = new Set(["in", "on", "en", "le", "du", "au"]);
/** Words between a day and its month ("14th of July", "14 de julio" is not French but "1er de" is harmless). */
const LINK_WORDS = new Set(["of", "de"]);

type Relative = "today" | "yesterday" | "thisYear" | "lastYear" | "thisMonth" | "lastMonth";
const RELATIVE: [string[], Relative][] = [
  [["today"], "today"],
  [["aujourd'hui"], "today"],
  [["yesterday"], "yesterday"],
  [["hier"], "yesterday"],
  [["this", "year"], "thisYear"],
  [["cette", "annee"], "thisYear"],
  [["last", "year"], "lastYear"],
  [["l'annee", "derniere"], "lastYear"],
  [["annee", "derniere"], "lastYear"],
  [["l'an", "dernier"], "lastYear"],
  [["this", "month"], "thisMonth"],
  [["ce", "mois-ci"], "thisMonth"],
  [["ce", "mois"], "thisMonth"],
  [["last", "month"], "lastMonth"],
  [["le", "mois", "dernier"], "lastMonth"],
  [["mois", "dernier"], "lastMonth"],
];

/** Lower case, no accents, straight apostrophes, no trailing dot or comma: how date words are compared. */
function fold(word: string): string {
  return word
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[’‘]/g, "'")
    .replace(/[.,;]+$/, "");
}

function yearOf(word: string | undefined): number | undefined {
  return word && /^(1[89]|2\d)\d\d$/.test(word) ? Number(word) : undefined;
}

/** "14", "14th", "1st", "1er", "2e". */
function dayOf(word: string | undefined): number | undefined {
  const m = word ? /^(\d{1,2})(st|nd|rd|th|er|e)?$/.exec(word) : null;
  const d = m ? Number(m[1]) : 0;
  return d >= 1 && d <= 31 ? d : undefined;
}

function monthOf(word: string | undefined): number | undefined {
  return word === undefined ? undefined : MONTH_WORDS[word];
}

/** A day that exists: in its month of that year, or of some year (29 February) when the year is not said. */
function validDay(year: number | undefined, month: number, day: number): boolean {
  return day <= daysInMonth(year ?? 2000, month);
}

/** The date starting at `words[i]` and how many words it takes, or undefined. */
function dateAt(
  words: readonly string[],
  i: number,
  now: Date,
): { spec: DateSpec; length: number } | undefined {
  const w0 = words[i]!;
  // ISO dates: 2021-07-04, 2021/07/04, 2021-07.
  const iso = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?$/.exec(w0);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), iso[3] ? Number(iso[3]) : undefined];
    if (month < 1 || month > 12) return undefined;
    if (day === undefined) return { spec: { kind: "month", year, month }, length: 1 };
    if (day < 1 || !validDay(year, month, day)) return undefined;
    return { spec: { kind: "day", year, month, day }, length: 1 };
  }
  for (const [phrase, relative] of RELATIVE) {
    if (phrase.every((p, k) => words[i + k] === p))
      return { spec: resolveRelative(relative, now), length: phrase.length };
  }
  // 14 July [2021], 14th of July, 1er juillet.
  const day = dayOf(w0);
  if (day !== undefined) {
    const skip = LINK_WORDS.has(words[i + 1] ?? "") ? 1 : 0;
    const month = monthOf(words[i + 1 + skip]);
    if (month !== undefined) {
      const year = yearOf(words[i + 2 + skip]);
      if (!validDay(year, month, day)) return undefined;
      return {
        spec: { kind: "day", month, day, ...(year !== undefined && { year }) },
        length: 2 + skip + (year !== undefined ? 1 : 0),
      };
    }
  }
  // July 14 [2021], July 2021, July.
  const month = monthOf(w0);
  if (month !== undefined) {
    const d = dayOf(words[i + 1]);
    const yearAfterDay = d !== undefined ? yearOf(words[i + 2]) : undefined;
    if (d !== undefined && validDay(yearAfterDay, month, d)) {
      return {
        spec: { kind: "day", month, day: d, ...(yearAfterDay !== undefined && { year: yearAfterDay }) },
        length: 2 + (yearAfterDay !== undefined ? 1 : 0),
      };
    }
    const year = yearOf(words[i + 1]);
    if (year !== undefined) return { spec: { kind: "month", month, year }, length: 2 };
    if (!ABBREVIATIONS.has(w0)) return { spec: { kind: "month", month }, length: 1 };
  }
  // summer 2023, l'été 2023, winter.
  const seasonWord = w0.replace(/^l'/, "");
  const season = SEASON_WORDS[seasonWord];
  if (season) {
    const year = yearOf(words[i + 1]);
    if (year !== undefined) return { spec: { kind: "season", season, year }, length: 2 };
    if (!SEASON_NEEDS_YEAR.has(seasonWord)) return { spec: { kind: "season", season }, length: 1 };
  }
  const year = yearOf(w0);
  if (year !== undefined) return { spec: { kind: "year", year }, length: 1 };
  return undefined;
}

function resolveRelative(relative: Relative, now: Date): DateSpec {
  const d = today(now);
  switch (relative) {
    case "today":
      return { kind: "day", year: d.y, month: d.mo, day: d.d };
    case "yesterday": {
      const y = new Date(d.y, d.mo - 1, d.d - 1);
      return { kind: "day", year: y.getFullYear(), month: y.getMonth() + 1, day: y.getDate() };
    }
    case "thisYear":
      return { kind: "year", year: d.y };
    case "lastYear":
      return { kind: "year", year: d.y - 1 };
    case "thisMonth":
      return { kind: "month", year: d.y, month: d.mo };
    case "lastMonth":
      return d.mo === 1
        ? { kind: "month", year: d.y - 1, month: 12 }
        : { kind: "month", year: d.y, month: d.mo - 1 };
  }
}

const ymd = (y: number, mo: number, d: number) => y * 10000 + mo * 100 + d;

/** The inclusive range of days a spec covers. */
export function toRange(spec: DateSpec): Omit<DateQuery, "words"> {
  switch (spec.kind) {
    case "day": {
      const key = ymd(spec.year ?? 0, spec.month, spec.day);
      return { spec, from: key, to: key, anyYear: spec.year === undefined };
    }
    case "month": {
      const last = daysInMonth(spec.year ?? 2000, spec.month);
      return {
        spec,
        from: ymd(spec.year ?? 0, spec.month, 1),
        to: ymd(spec.year ?? 0, spec.month, last),
        anyYear: spec.year === undefined,
      };
    }
    case "year":
      return { spec, from: ymd(spec.year, 1, 1), to: ymd(spec.year, 12, 31), anyYear: false };
    case "season": {
      const [first, last] = SEASON_MONTHS[spec.season];
      if (spec.year === undefined)
        return { spec, from: ymd(0, first, 1), to: ymd(0, last, daysInMonth(2000, last)), anyYear: true };
      const endYear = last < first ? spec.year + 1 : spec.year;
      return {
        spec,
        from: ymd(spec.year, first, 1),
        to: ymd(endYear, last, daysInMonth(endYear, last)),
        anyYear: false,
      };
    }
  }
}

/** Splits the first date out of a query; relative words ("yesterday") are read against `now`, in this browser's zone. */
export function parseDateQuery(query: string, now: Date = new Date()): ParsedQuery {
  const raw = query.split(/[\s,]+/).filter(Boolean);
  const words = raw.map(fold);
  for (let i = 0; i < words.length; i++) {
    const found = dateAt(words, i, now);
    if (!found) continue;
    const start = i > 0 && LEAD_WORDS.has(words[i - 1]!) ? i - 1 : i;
    const rest = [...raw.slice(0, start), ...raw.slice(i + found.length)].join(" ");
    const typed = raw
      .slice(i, i + found.length)
      .join(" ")
      .toLowerCase();
    return { date: { ...toRange(found.spec), words: typed }, rest };
  }
  return { rest: raw.join(" ") };
}

/** Whether the item was taken within the range, on its own local calendar (see `localDay`). */
export function matchesDate(item: LibraryItem, query: DateQuery): boolean {
  return dayInRange(localDay(item), query);
}

export function dayInRange(day: Day, query: DateQuery): boolean {
  if (!query.anyYear) {
    const key = ymd(day.y, day.mo, day.d);
    return key >= query.from && key <= query.to;
  }
  const key = day.mo * 100 + day.d;
  return query.from <= query.to ? key >= query.from && key <= query.to : key >= query.from || key <= query.to;
}

/** What was understood, in words: "14 July, any year", "July 2021", "summer 2023". */
export function describeDate(query: DateQuery, lang: Locale): string {
  const spec = query.spec;
  // British day-month order for English ("14 July"), as the app's French does ("14 juillet").
  const tag = lang === "en" ? "en-GB" : lang;
  const format = (options: Intl.DateTimeFormatOptions, y: number, mo: number, d = 1) =>
    new Intl.DateTimeFormat(tag, { ...options, timeZone: "UTC" }).format(Date.UTC(y, mo - 1, d));
  let text: string;
  switch (spec.kind) {
    case "day":
      text = format(
        { day: "numeric", month: "long", ...(spec.year && { year: "numeric" }) },
        spec.year ?? 2000,
        spec.month,
        spec.day,
      );
      break;
    case "month":
      text = format({ month: "long", ...(spec.year && { year: "numeric" }) }, spec.year ?? 2000, spec.month);
      break;
    case "year":
      return String(spec.year);
    case "season": {
      const name = translate(lang, `search.season.${spec.season}`);
      if (spec.year === undefined) return translate(lang, "search.anyYear", { date: name });
      return translate(lang, "search.seasonYear", { season: name, year: String(spec.year) });
    }
  }
  return query.anyYear ? translate(lang, "search.anyYear", { date: text }) : text;
}
