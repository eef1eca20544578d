// Raster map tiles a self-hoster may offer (UMBRA_MAP_TILE_URL) under the bundled vector map. The server's answer is
// untrusted like every other: it is checked against the protocol schema (an http(s) XYZ template whose tiles all come
// from one origin), and anything else means no tiles. Tiles are requested only once the user opted in on this
// device, for that origin: a server that later names another tile origin asks again.
import { checkTileTemplate, PublicConfigResponse } from "@umbra/protocol";
import type { View } from "./project.js";

export interface TileSource {
  /** The XYZ template: `{z}`, `{x}` and `{y}` are replaced by a tile's zoom, column and row. */
  template: string;
  /** Where every tile comes from (`https://tiles.example.org`): what the user opts in to. */
  origin: string;
  /** Its host (with a port when not the default), as the opt-in names it. */
  host: string;
  /** The provider's credit line, shown over the map with the tiles; null when the operator gave none. */
  attribution: string | null;
}

/** The tile source in the server's answer to `GET /api/config`, or null (none offered, or an answer not to trust). */
export function tileSourceFrom(answer: unknown): TileSource | null {
  const parsed = PublicConfigResponse.safeParse(answer);
  if (!parsed.success || !parsed.data.mapTiles) return null;
  const { url, attribution } = parsed.data.mapTiles;
  const check = checkTileTemplate(url);
  if (!check.ok) return null;
  const origin = new URL(check.origin);
  if (origin.protocol !== "https:" && origin.protocol !== "http:") return null;
  return { template: url, origin: check.origin, host: origin.host, attribution };
}

/** Asks the server whether it offers tiles; a failure, an error answer or a malformed one is "no". */
export function fetchTileSource(fetchImpl: typeof fetch): Promise<TileSource | null> {
  return fetchImpl("/api/config", { credentials: "omit", cache: "no-store" })
    .then((response) => (response.ok ? response.json() : null))
    .then(tileSourceFrom, () => null);
}

let asked: Promise<TileSource | null> | undefined;

/** `fetchTileSource` from this app's own origin, once per page. */
export function loadTileSource(): Promise<TileSource | null> {
  asked ??= fetchTileSource((input, init) => fetch(input, init));
  return asked;
}

/** localStorage: the tile origin this device opted in to (only that one). */
export const TILES_OPT_IN_KEY = "umbra.mapTiles";

export function tilesOptedIn(source: TileSource, storage: Pick<Storage, "getItem"> = localStorage): boolean {
  try {
    return storage.getItem(TILES_OPT_IN_KEY) === source.origin;
  } catch {
    return false;
  }
}

export function setTilesOptIn(
  source: TileSource,
  on: boolean,
  storage: Pick<Storage, "setItem" | "removeItem"> = localStorage,
): void {
  try {
    if (on) storage.setItem(TILES_OPT_IN_KEY, source.origin);
    else storage.removeItem(TILES_OPT_IN_KEY);
  } catch {
    // Storage refused (private mode, quota): the choice lasts for this page only.
  }
}

/** One tile to draw: its URL and, in Web Mercator map units (project.ts), its square. */
export interface Tile {
  key: string;
  url: string;
  x: number;
  y: number;
  size: number;
}

/** The tile size XYZ servers draw for (CSS pixels). */
const TILE_PX = 256;
/** Deeper than most tile servers go; the map's own zoom stops well before it anyway. */
const MAX_ZOOM = 19;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function tileUrl(template: string, z: number, x: number, y: number): string {
  return template.replaceAll("{z}", String(z)).replaceAll("{x}", String(x)).replaceAll("{y}", String(y));
}

/**
 * The tiles that cover `view` (Web Mercator, `view.w / 2` high) drawn `widthPx` CSS pixels wide: the zoom whose
 * tiles come closest to 256 pixels on screen, and only the columns and rows the view shows. A tile URL that would
 * leave the source's origin (which the checked template cannot make) is dropped all the same.
 */
export function visibleTiles(
  source: Pick<TileSource, "template" | "origin">,
  view: View,
  widthPx: number,
): Tile[] {
  const worldPx = (Math.max(1, widthPx) * 360) / view.w;
  const z = Math.min(MAX_ZOOM, Math.max(0, Math.round(Math.log2(worldPx / TILE_PX))));
  const n = 2 ** z;
  const size = 360 / n;
  const range = (from: number, length: number) => {
    const first = Math.max(0, Math.floor(from / size));
    const last = Math.min(n - 1, Math.ceil((from + length) / size) - 1);
    return { first, last };
  };
  const cols = range(view.x, view.w);
  const rows = range(view.y, view.w / 2);
  const tiles: Tile[] = [];
  for (let y = rows.first; y <= rows.last; y++) {
    for (let x = cols.first; x <= cols.last; x++) {
      const url = tileUrl(source.template, z, x, y);
      if (originOf(url) !== source.origin) continue;
      tiles.push({ key: `${z}/${x}/${y}`, url, x: x * size, y: y * size, size });
    }
  }
  return tiles;
}
