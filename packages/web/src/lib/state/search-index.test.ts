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

describe("searchLibrary with dates", () => {
  const photo = (
    id: string,
    takenAt: string,
    extra: Partial<LibraryItem["meta"]> = {},
    albumIds: string[] = [],
  ) =>
    ({
      id,
      meta: { name: `${id}.jpg`, mime: "image/jpeg", size: 1, takenAt, ...extra },
      time: Date.parse(takenAt),
      albumIds,
      trashedAt: null,
      contentSize: 1,
      favorite: false,
    }) satisfies LibraryItem;
  // Offsets written in takenAt make each photo's own day independent of the machine's zone.
  const library: LibraryItem[] = [
    photo("beach23", "2023-07-20T15:00:00+02:00", { description: "beach day" }),
    photo("hike23", "2023-06-01T09:00:00+02:00", { description: "mountain hike" }),
    photo("autumn23", "2023-09-01T09:00:00+02:00", { description: "beach in September" }),
    photo("fete21", "2021-07-14T23:30:00+02:00", {}, ["a_trip"]),
    photo("fete19", "2019-07-14T10:00:00+02:00"),
    photo("july4", "2021-07-04T20:00:00-04:00"),
    // 03:00 on 5 July in Paris is 4 July, 21:00 in New York: its own zone says 5 July.
    photo("tz", "2021-07-05T01:00:00Z", { timeZone: "Europe/Paris" }),
    photo("lastyear", "2025-12-06T12:00:00+00:00"),
    photo("yesterday", "2026-12-06T12:00:00+00:00"),
  ];
  const now = new Date(Date.UTC(2026, 11, 7, 12));
  const found = (q: string) => searchLibrary(library, albums, q, undefined, now).map((i) => i.id);

  it("narrows to the date and matches the other words as before, newest first", () => {
    expect(found("summer 2023")).toEqual(["beach23", "hike23"]);
    expect(found("beach summer 2023")).toEqual(["beach23"]);
    expect(found("beach 2023")).toEqual(["autumn23", "beach23"]);
    expect(found("14 July")).toEqual(["fete21", "fete19"]);
    expect(found("July 14 2021")).toEqual(["fete21"]);
    expect(found("14 juillet")).toEqual(["fete21", "fete19"]);
    expect(found("Paris 2021")).toEqual(["fete21"]);
    expect(found("2021-07-04")).toEqual(["july4"]);
    expect(found("4 July 2021")).toEqual(["july4"]);
    expect(found("5 July 2021")).toEqual(["tz"]);
    expect(found("July 2021")).toEqual(["fete21", "tz", "july4"]);
    expect(found("2019")).toEqual(["fete19"]);
    expect(found("last year")).toEqual(["lastyear"]);
    expect(found("yesterday")).toEqual(["yesterday"]);
    expect(found("winter 2023")).toEqual([]);
  });

  it("still finds a date typed in a name or an album's name, whenever the photo was taken", () => {
    const lisbon = photo("lisbon", "2020-12-30T12:00:00+00:00", {}, ["a_lisbon"]);
    const withAlbum: AlbumItem[] = [...albums, { id: "a_lisbon", kind: "user", name: "Lisbon 2021" }];
    const ids = (q: string) =>
      searchLibrary([...library, lisbon], withAlbum, q, undefined, now).map((i) => i.id);
    expect(ids("lisbon 2021")).toEqual(["lisbon"]);
    expect(ids("2021")).toEqual(["fete21", "tz", "july4", "lisbon"]);
    expect(ids("lisbon 2020")).toEqual(["lisbon"]);
    expect(ids("lisbon summer")).toEqual([]);
  });

  it("sorts results newest first whatever order the items come in", () => {
    const shuffled = [...library].reverse();
    expect(searchLibrary(shuffled, albums, "2023", undefined, now).map((i) => i.id)).toEqual([
      "autumn23",
      "beach23",
      "hike23",
    ]);
  });
});
