import { describe, expect, it } from "vitest";
import type { LibraryItem } from "../state/media-types.js";
import { localDay } from "./local-day.js";
import { dayInRange, describeDate, matchesDate, parseDateQuery } from "./natural-date.js";

// A Monday, in the browser's zone (the tests run in whatever zone the machine has: every expectation below is
// about local days).
const now = new Date(2026, 11, 7, 10, 0);

const spec = (q: string) => parseDateQuery(q, now).date?.spec;
const rest = (q: string) => parseDateQuery(q, now).rest;

describe("parseDateQuery", () => {
  it("reads days, months, years and seasons in English", () => {
    expect(spec("14 July")).toEqual({ kind: "day", month: 7, day: 14 });
    expect(spec("July 14")).toEqual({ kind: "day", month: 7, day: 14 });
    expect(spec("july 14th")).toEqual({ kind: "day", month: 7, day: 14 });
    expect(spec("14th of July")).toEqual({ kind: "day", month: 7, day: 14 });
    expect(spec("2021-07-04")).toEqual({ kind: "day", year: 2021, month: 7, day: 4 });
    expect(spec("2021/7/4")).toEqual({ kind: "day", year: 2021, month: 7, day: 4 });
    expect(spec("2021-07")).toEqual({ kind: "month", year: 2021, month: 7 });
    expect(spec("4 July 2021")).toEqual({ kind: "day", year: 2021, month: 7, day: 4 });
    expect(spec("July 4, 2021")).toEqual({ kind: "day", year: 2021, month: 7, day: 4 });
    expect(spec("July 2021")).toEqual({ kind: "month", year: 2021, month: 7 });
    expect(spec("Jul 2021")).toEqual({ kind: "month", year: 2021, month: 7 });
    expect(spec("july")).toEqual({ kind: "month", month: 7 });
    expect(spec("2021")).toEqual({ kind: "year", year: 2021 });
    expect(spec("summer 2023")).toEqual({ kind: "season", season: "summer", year: 2023 });
    expect(spec("Fall 2022")).toEqual({ kind: "season", season: "autumn", year: 2022 });
    expect(spec("winter")).toEqual({ kind: "season", season: "winter" });
  });

  it("reads French month and season names, with or without accents", () => {
    expect(spec("14 juillet")).toEqual({ kind: "day", month: 7, day: 14 });
    expect(spec("le 1er août 2020")).toEqual({ kind: "day", year: 2020, month: 8, day: 1 });
    expect(spec("aout 2020")).toEqual({ kind: "month", year: 2020, month: 8 });
    expect(spec("décembre")).toEqual({ kind: "month", month: 12 });
    expect(spec("l’été 2023")).toEqual({ kind: "season", season: "summer", year: 2023 });
    expect(spec("hiver 2022")).toEqual({ kind: "season", season: "winter", year: 2022 });
    expect(spec("printemps")).toEqual({ kind: "season", season: "spring" });
  });

  it("resolves relative words against today", () => {
    expect(spec("yesterday")).toEqual({ kind: "day", year: 2026, month: 12, day: 6 });
    expect(spec("today")).toEqual({ kind: "day", year: 2026, month: 12, day: 7 });
    expect(spec("hier")).toEqual({ kind: "day", year: 2026, month: 12, day: 6 });
    expect(spec("last year")).toEqual({ kind: "year", year: 2025 });
    expect(spec("l'année dernière")).toEqual({ kind: "year", year: 2025 });
    expect(spec("this year")).toEqual({ kind: "year", year: 2026 });
    expect(spec("last month")).toEqual({ kind: "month", year: 2026, month: 11 });
    expect(parseDateQuery("yesterday", new Date(2026, 0, 1, 9)).date?.spec).toEqual({
      kind: "day",
      year: 2025,
      month: 12,
      day: 31,
    });
    expect(parseDateQuery("last month", new Date(2026, 0, 15)).date?.spec).toEqual({
      kind: "month",
      year: 2025,
      month: 12,
    });
  });

  it("leaves the other words for the text search", () => {
    expect(spec("Paris 2021")).toEqual({ kind: "year", year: 2021 });
    expect(rest("Paris 2021")).toBe("Paris");
    expect(rest("beach summer 2023")).toBe("beach");
    expect(rest("photos in July 2021 boats")).toBe("photos boats");
    expect(rest("boats")).toBe("boats");
    expect(spec("boats")).toBeUndefined();
  });

  it("is not fooled by numbers and words that are no date", () => {
    // No 31 June: the month alone is read, and "31" stays a word to search.
    expect(spec("31 June")).toEqual({ kind: "month", month: 6 });
    expect(rest("31 June")).toBe("31");
    expect(spec("2021-13-01")).toBeUndefined();
    expect(spec("14")).toBeUndefined();
    expect(spec("IMG_2021.jpg")).toBeUndefined();
    expect(spec("waterfall")).toBeUndefined();
    expect(spec("fall")).toBeUndefined();
    expect(spec("dec")).toBeUndefined();
    expect(spec("29 February")).toEqual({ kind: "day", month: 2, day: 29 });
    expect(spec("29 February 2023")).toEqual({ kind: "month", year: 2023, month: 2 });
  });
});

describe("date ranges", () => {
  const range = (q: string) => parseDateQuery(q, now).date!;
  const day = (y: number, mo: number, d: number) => ({ y, mo, d });

  it("covers the days the words mean", () => {
    expect(dayInRange(day(2023, 6, 1), range("summer 2023"))).toBe(true);
    expect(dayInRange(day(2023, 8, 31), range("summer 2023"))).toBe(true);
    expect(dayInRange(day(2023, 9, 1), range("summer 2023"))).toBe(false);
    expect(dayInRange(day(2022, 7, 1), range("summer 2023"))).toBe(false);
    // Winter 2023 is December 2023 to February 2024; winter alone wraps over New Year in every year.
    expect(dayInRange(day(2024, 2, 29), range("winter 2023"))).toBe(true);
    expect(dayInRange(day(2023, 1, 15), range("winter 2023"))).toBe(false);
    expect(dayInRange(day(2019, 1, 15), range("winter"))).toBe(true);
    expect(dayInRange(day(2019, 12, 1), range("winter"))).toBe(true);
    expect(dayInRange(day(2019, 11, 30), range("winter"))).toBe(false);
    expect(dayInRange(day(1999, 7, 14), range("14 July"))).toBe(true);
    expect(dayInRange(day(1999, 7, 15), range("14 July"))).toBe(false);
    expect(dayInRange(day(2021, 7, 31), range("July 2021"))).toBe(true);
    expect(dayInRange(day(2021, 8, 1), range("July 2021"))).toBe(false);
    expect(dayInRange(day(2021, 12, 31), range("2021"))).toBe(true);
  });

  it("says what it understood, in English and in French", () => {
    expect(describeDate(range("14 July"), "en")).toBe("14 July, any year");
    expect(describeDate(range("2021-07-04"), "en")).toBe("4 July 2021");
    expect(describeDate(range("July 2021"), "en")).toBe("July 2021");
    expect(describeDate(range("july"), "en")).toBe("July, any year");
    expect(describeDate(range("2021"), "en")).toBe("2021");
    expect(describeDate(range("summer 2023"), "en")).toBe("summer 2023");
    expect(describeDate(range("winter"), "en")).toBe("winter, any year");
    expect(describeDate(range("14 juillet"), "fr")).toBe("14 juillet, toutes années");
    expect(describeDate(range("summer 2023"), "fr")).toBe("été 2023");
  });
});

describe("a photo's own day", () => {
  const item = (takenAt: string, timeZone?: string): LibraryItem => ({
    id: "f",
    meta: { name: "a.jpg", mime: "image/jpeg", size: 1, takenAt, ...(timeZone && { timeZone }) },
    time: Date.parse(takenAt),
    albumIds: [],
    trashedAt: null,
    contentSize: 1,
    favorite: false,
  });

  it("is the day in the file's time zone, else at the offset it was written with", () => {
    // 23:30 in Paris on 14 July is 21:30 UTC: 14 July wherever the browser is.
    expect(localDay(item("2021-07-14T21:30:00Z", "Europe/Paris"))).toEqual({ y: 2021, mo: 7, d: 14 });
    // 00:30 in Tokyo on 15 July is still 14 July in UTC: the file's zone wins.
    expect(localDay(item("2021-07-14T15:30:00Z", "Asia/Tokyo"))).toEqual({ y: 2021, mo: 7, d: 15 });
    expect(localDay(item("2021-07-14T23:30:00-05:00"))).toEqual({ y: 2021, mo: 7, d: 14 });
    expect(localDay(item("2021-07-15T00:30:00+09:00"))).toEqual({ y: 2021, mo: 7, d: 15 });
    expect(matchesDate(item("2021-07-14T23:30:00-05:00"), parseDateQuery("14 July").date!)).toBe(true);
    // No zone and no offset: the browser's calendar.
    const plain = item("2021-07-14T12:00:00");
    const local = new Date(plain.time);
    expect(localDay(plain)).toEqual({ y: local.getFullYear(), mo: local.getMonth() + 1, d: local.getDate() });
  });
});
