import { matchesDate, parseDateQuery } from "../search/natural-date.js";
import { newestFirst } from "./library-item.js";
import type { AlbumItem, LibraryItem } from "./media-types.js";

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** The words a photo's place is found by (its city and country names), or none. */
export type PlaceTerms = (item: LibraryItem) => readonly string[];

/**
 * The words an item can be found by: filename, description, camera, lens, year, month name, album names, and the
 * city and country it was taken in (named on this device from its GPS position).
 */
function haystack(item: LibraryItem, albumNames: Map<string, string>, placeTerms?: PlaceTerms): string {
  const m = item.meta;
  const parts = [m.name, m.description, m.camera?.make, m.camera?.model, m.lens, m.mime];
  if (placeTerms && m.gps) parts.push(...placeTerms(item));
  {
    const d = new Date(item.time);
    parts.push(String(d.getFullYear()), MONTHS[d.getMonth()]);
  }
  for (const id of item.albumIds) parts.push(albumNames.get(id));
  return parts.filter(Boolean).join(" ").toLowerCase();
}

/** The words a person gave the item (its name, description, albums): a date typed may be one of them. */
function named(item: LibraryItem, albumNames: Map<string, string>): string {
  const names = item.albumIds.map((id) => albumNames.get(id));
  return [item.meta.name, item.meta.description, ...names].filter(Boolean).join(" ").toLowerCase();
}

/**
 * Every whitespace-separated term of the query must occur, and a date in it ("summer 2023", natural-date.ts)
 * narrows to the photos taken then; newest first. Purely client-side over decrypted metadata.
 */
export function searchLibrary(
  items: readonly LibraryItem[],
  albums: readonly AlbumItem[],
  query: string,
  placeTerms?: PlaceTerms,
  now: Date = new Date(),
) {
  const { date, rest } = parseDateQuery(query, now);
  const terms = rest.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0 && !date) return [];
  const albumNames = new Map(albums.filter((a) => a.kind === "user").map((a) => [a.id, a.name]));
  return items
    .filter((item) => {
      if (item.trashedAt) return false;
      const text = haystack(item, albumNames, placeTerms);
      if (date && !matchesDate(item, date) && !named(item, albumNames).includes(date.words)) return false;
      return terms.every((t) => text.includes(t));
    })
    .sort(newestFirst);
}
