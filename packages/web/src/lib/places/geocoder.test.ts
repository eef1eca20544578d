import { describe, expect, it } from "vitest";
import { countryName, countryNames, geocoder } from "./places-data.js";

const at = (lat: number, lon: number) => {
  const p = geocoder.lookup(lat, lon);
  return p ? `${p.city}, ${countryName(p.country, "en")}` : null;
};

describe("the offline reverse geocoder", () => {
  it("holds the bundled cities of 15,000 people or more", () => {
    expect(geocoder.size).toBeGreaterThan(20_000);
  });

  it("names Paris for the centre of Paris and for the Eiffel Tower", () => {
    expect(at(48.8566, 2.3522)).toBe("Paris, France");
    expect(at(48.8584, 2.2945)).toBe("Paris, France");
  });

  it("names Tokyo, and a city across the antimeridian", () => {
    expect(at(35.6762, 139.6503)).toBe("Tokyo, Japan");
    expect(at(-33.8688, 151.2093)).toBe("Sydney, Australia");
    expect(geocoder.lookup(-18.14, 178.44)?.country).toBe("FJ");
  });

  it("finds nothing in the middle of an ocean, or at a pole", () => {
    expect(at(-30, -120)).toBeNull();
    expect(at(0, -30)).toBeNull();
    expect(at(90, 0)).toBeNull();
    expect(at(-90, 45)).toBeNull();
  });

  it("refuses coordinates that are not numbers", () => {
    expect(geocoder.lookup(Number.NaN, 2)).toBeNull();
  });

  it("gives country names in every language of the app", () => {
    expect(countryName("FR", "fr")).toBe("France");
    expect(countryName("DE", "fr")).toBe("Allemagne");
    expect(countryNames("DE")).toEqual(expect.arrayContaining(["Germany", "Allemagne"]));
    expect(countryName("ZZ", "en")).toBe("ZZ");
  });

  it("answers a lookup quickly", () => {
    const start = performance.now();
    for (let i = 0; i < 2000; i++) geocoder.lookup(-60 + (i % 120), -180 + ((i * 7) % 360));
    expect((performance.now() - start) / 2000).toBeLessThan(2);
  });
});
