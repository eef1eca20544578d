import { describe, expect, it } from "vitest";
import {
  formatInZone,
  fromLocalInput,
  isTimeZone,
  offsetLabel,
  timeZones,
  toLocalInput,
  zoneOffsetMinutes,
} from "./datetime.js";

const JULY = Date.parse("2021-07-14T08:30:00Z");
const JANUARY = Date.parse("2021-01-14T08:30:00Z");

describe("capture time in a time zone", () => {
  it("knows zone offsets, with daylight saving", () => {
    expect(zoneOffsetMinutes(JULY, "Europe/Paris")).toBe(120);
    expect(zoneOffsetMinutes(JANUARY, "Europe/Paris")).toBe(60);
    expect(zoneOffsetMinutes(JULY, "America/New_York")).toBe(-240);
    expect(zoneOffsetMinutes(JULY, "Asia/Kolkata")).toBe(330);
    expect(zoneOffsetMinutes(JULY, "UTC")).toBe(0);
    expect(offsetLabel(JULY, "Asia/Kolkata")).toBe("UTC+5:30");
    expect(offsetLabel(JULY, "America/New_York")).toBe("UTC−4");
    expect(offsetLabel(JULY, "UTC")).toBe("UTC");
  });

  it("shows an instant as the wall-clock time of a zone", () => {
    expect(toLocalInput(JULY, "Europe/Paris")).toBe("2021-07-14T10:30");
    expect(toLocalInput(JULY, "America/New_York")).toBe("2021-07-14T04:30");
    expect(toLocalInput(Date.parse("2021-07-14T23:59:30Z"), "Asia/Tokyo")).toBe("2021-07-15T08:59:30");
  });

  it("writes a typed wall-clock time as an instant with the zone's offset, round-tripping", () => {
    const paris = fromLocalInput("2021-07-14T10:30", "Europe/Paris");
    expect(paris).toBe("2021-07-14T10:30:00+02:00");
    expect(Date.parse(paris!)).toBe(JULY);
    expect(fromLocalInput("2021-01-14T09:30", "Europe/Paris")).toBe("2021-01-14T09:30:00+01:00");
    expect(fromLocalInput("2021-07-14T04:30:15", "America/New_York")).toBe("2021-07-14T04:30:15-04:00");
    expect(fromLocalInput("2021-07-14T14:00", "Asia/Kolkata")).toBe("2021-07-14T14:00:00+05:30");
    expect(fromLocalInput("", "UTC")).toBeUndefined();
    expect(fromLocalInput("yesterday", "UTC")).toBeUndefined();
    for (const zone of ["Europe/Paris", "America/New_York", "Australia/Adelaide", "UTC"]) {
      for (const ms of [
        JULY,
        JANUARY,
        Date.parse("2021-03-28T01:30:00Z"),
        Date.parse("2021-11-07T12:00:00Z"),
      ]) {
        expect(Date.parse(fromLocalInput(toLocalInput(ms, zone), zone)!), `${zone} ${ms}`).toBe(ms);
      }
    }
  });

  it("reads a time inside a spring-forward gap with the offset before the jump", () => {
    // 02:30 does not exist in Paris on 2021-03-28 (02:00 → 03:00).
    const iso = fromLocalInput("2021-03-28T02:30", "Europe/Paris");
    expect(iso).toMatch(/^2021-03-28T02:30:00\+0[12]:00$/);
    expect(Number.isFinite(Date.parse(iso!))).toBe(true);
  });

  it("reads a time repeated by a fall-back change as one of its two instants", () => {
    // 01:30 happens twice in New York on 2021-11-07 (EDT, then EST).
    expect(["2021-11-07T01:30:00-04:00", "2021-11-07T01:30:00-05:00"]).toContain(
      fromLocalInput("2021-11-07T01:30", "America/New_York"),
    );
  });

  it("lists zones and formats in a zone and a language", () => {
    expect(timeZones()[0]).toBe("UTC");
    expect(timeZones()).toContain("Europe/Paris");
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(formatInZone(JULY, "Europe/Paris", "en")).toContain("July 14, 2021");
    expect(formatInZone(JULY, "Europe/Paris", "en")).toContain("10:30");
    expect(formatInZone(JULY, "Europe/Paris", "fr")).toContain("14 juillet 2021");
  });
});
