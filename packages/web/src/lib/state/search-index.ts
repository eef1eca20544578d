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

/** Every whitespace-separated term of the query must occur; purely client-side over decrypted metadata. */
export function searchLibrary(
  items: readonly LibraryItem[],
  albums: readonly AlbumItem[],
  query: string,
  placeTerms?: PlaceTerms,
) {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [];
  const albumNames = new Map(albums.filter((a) => a.kind === "user").map((a) => [a.id, a.name]));
  return items.filter((item) => {
    if (item.trashedAt) return false;
    const text = haystack(item, albumNames, placeTerms);
    return terms.every((t) => text.includes(t));
  });
}
