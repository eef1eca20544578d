import { describe, expect, it } from "vitest";
import { countryNames, geocoder } from "../places/places-data.js";
import type { AlbumItem, LibraryItem } from "./media-types.js";
import { searchLibrary } from "./search-index.js";

const items: LibraryItem[] = [
  {
    id: "f_a",
    meta: { name: "eiffel.jpg", mime: "image/jpeg", size: 1, camera: { make: "Zorkon", model: "Z-9000" } },
    time: Date.UTC(2021, 6, 14, 12),
    albumIds: ["a_trip"],
    trashedAt: null,
    contentSize: 1,
    favorite: false,
  },
  {
    id: "f_b",
    meta: {
      name: "harbor.jpg",
      mime: "image/jpeg",
      size: 1,
      camera: { make: "Quibble" },
      description: "Fishing boats at dawn, Île de Ré",
    },
    time: Date.UTC(2019, 2, 2, 12),
    albumIds: [],
    trashedAt: null,
    contentSize: 1,
    favorite: false,
  },
  {
    id: "f_c",
    meta: { name: "eiffel-2.jpg", mime: "image/jpeg", size: 1 },
    time: Date.UTC(2021, 6, 15, 12),
    albumIds: [],
    trashedAt: "2024-01-01T00:00:00Z",
    contentSize: 1,
    favorite: false,
  },
];
const albums: AlbumItem[] = [{ id: "a_trip", kind: "user", name: "Paris trip" }];

const ids = (q: string) => searchLibrary(items, albums, q).map((i) => i.id);

describe("searchLibrary", () => {
  it("matches filename, camera, year, month and year, and album name; never trashed files", () => {
    expect(ids("eiffel")).toEqual(["f_a"]);
    expect(ids("QUIBBLE")).toEqual(["f_b"]);
    expect(ids("2021")).toEqual(["f_a"]);
    expect(ids("July 2021")).toEqual(["f_a"]);
    expect(ids("march 2021")).toEqual([]);
    expect(ids("paris")).toEqual(["f_a"]);
    expect(ids("   ")).toEqual([]);
  });

  it("matches words of the description, in any case", () => {
    expect(ids("boats")).toEqual(["f_b"]);
    expect(ids("DAWN fishing")).toEqual(["f_b"]);
    expect(ids("île")).toEqual(["f_b"]);
    expect(ids("boats eiffel")).toEqual([]);
  });
});

describe("searchLibrary by place", () => {
  const located = (id: string, name: string, lat: number, lon: number): LibraryItem => ({
    id,
    meta: { name, mime: "image/jpeg", size: 1, gps: { lat, lon } },
    time: Date.UTC(2022, 0, 1),
    albumIds: [],
    trashedAt: null,
    contentSize: 1,
    favorite: false,
  });
  const library = [
    located("f_paris", "a.jpg", 48.8584, 2.2945),
    located("f_tokyo", "b.jpg", 35.6762, 139.6503),
    located("f_sea", "c.jpg", -30, -120),
    items[1]!,
  ];
  const placeTerms = (item: LibraryItem) => {
    const gps = item.meta.gps;
    const place = gps ? geocoder.lookup(gps.lat, gps.lon) : null;
    return place ? [place.city, ...countryNames(place.country)] : [];
  };
  const found = (q: string) => searchLibrary(library, [], q, placeTerms).map((i) => i.id);

  it("finds a photo by its city or its country, in English or French", () => {
    expect(found("Paris")).toEqual(["f_paris"]);
    expect(found("france")).toEqual(["f_paris"]);
    expect(found("Japon")).toEqual(["f_tokyo"]);
    expect(found("tokyo japan")).toEqual(["f_tokyo"]);
    expect(found("paris japan")).toEqual([]);
  });

  it("without the places table, or for a photo far from every city, finds by the other words only", () => {
    expect(searchLibrary(library, [], "Paris").map((i) => i.id)).toEqual([]);
    expect(found("c.jpg")).toEqual(["f_sea"]);
  });
});
