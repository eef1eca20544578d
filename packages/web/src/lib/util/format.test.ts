import { afterEach, describe, expect, it } from "vitest";
import { followLocale } from "../i18n/current-locale.js";
import type { Locale } from "../i18n/translate.js";
import { formatBytes, formatDateTime, formatDay, formatDuration, formatMonth, itemCount } from "./format.js";

// Midday UTC: the same calendar day in any time zone the tests may run in.
const JULY_15_2021 = Date.UTC(2021, 6, 15, 12);
const chosen = { current: "en" as Locale };
followLocale(chosen);
afterEach(() => {
  chosen.current = "en";
});

describe("formatters in English (the default)", () => {
  it("dates", () => {
    expect(formatDay(JULY_15_2021)).toBe("Thu, Jul 15, 2021");
    expect(formatMonth(JULY_15_2021)).toBe("July 2021");
    expect(formatDateTime(JULY_15_2021)).toMatch(/^Thursday, July 15, 2021 at /);
  });
  it("sizes in binary units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1000)).toBe("1000 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(1023.6 * 1024)).toBe("1024 KiB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5.0 GiB");
    expect(formatBytes(42 * 1024 ** 2)).toBe("42 MiB");
    expect(formatBytes(3 * 1024 ** 5)).toBe("3072 TiB");
    expect(formatBytes(-1)).toBe("—");
  });
  it("durations and counts", () => {
    expect(formatDuration(42.4)).toBe("42s");
    expect(formatDuration(200)).toBe("3m 20s");
    expect(formatDuration(7380)).toBe("2h 3m");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(itemCount(1)).toBe("1 item");
    expect(itemCount(2)).toBe("2 items");
  });
});

describe("formatters in French", () => {
  it("dates", () => {
    chosen.current = "fr";
    expect(formatDay(JULY_15_2021)).toBe("jeu. 15 juil. 2021");
    expect(formatMonth(JULY_15_2021)).toBe("juillet 2021");
    expect(formatDateTime(JULY_15_2021)).toMatch(/^jeudi 15 juillet 2021 à /);
  });
  it("sizes in French units, with a decimal comma", () => {
    chosen.current = "fr";
    expect(formatBytes(5 * 1024 ** 3)).toBe("5,0 Gio");
    expect(formatBytes(1536)).toBe("1,5 Kio");
    expect(formatBytes(42 * 1024 ** 2)).toBe("42 Mio");
    expect(formatBytes(512)).toBe("512 o");
    expect(formatBytes(2 * 1024 ** 4)).toBe("2,0 Tio");
  });
  it("durations and counts", () => {
    chosen.current = "fr";
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(200)).toBe("3 min 20 s");
    expect(formatDuration(7380)).toBe("2 h 3 min");
    expect(itemCount(0)).toBe("0 élément");
    expect(itemCount(1)).toBe("1 élément");
    expect(itemCount(2)).toBe("2 éléments");
  });
  it("switching back and forth: each language keeps its own cached formatters", () => {
    chosen.current = "fr";
    expect(formatMonth(JULY_15_2021)).toBe("juillet 2021");
    chosen.current = "en";
    expect(formatMonth(JULY_15_2021)).toBe("July 2021");
    chosen.current = "fr";
    expect(formatDay(JULY_15_2021)).toBe("jeu. 15 juil. 2021");
  });
});
