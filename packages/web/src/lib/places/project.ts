/**
 * How positions become map units. Both projections have x = longitude + 180 (the world is 360 units wide):
 * - "plate" (the plate carrée, the bundled map's own): y = 90 − latitude, the world is the box 0 0 360 180;
 * - "mercator" (Web Mercator, what XYZ raster tiles are drawn in): the world is the square 0 0 360 360 between
 *   latitudes ±85.05°, tile (z, x, y) covering the square of side 360 / 2^z at (x, y) times that side.
 */
export type Projection = "plate" | "mercator";

/** The latitude where Web Mercator's square world ends (tiles show nothing nearer the poles). */
export const MERCATOR_MAX_LAT = 85.0511287798066;

const DEG = Math.PI / 180;

/** The height of the whole world in map units (the width is always 360). */
export function worldHeight(projection: Projection): number {
  return projection === "mercator" ? 360 : 180;
}

/** Map units of a position. */
export function project(
  lat: number,
  lon: number,
  projection: Projection = "plate",
): { x: number; y: number } {
  if (projection === "plate") return { x: lon + 180, y: 90 - lat };
  const phi = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, lat)) * DEG;
  return { x: lon + 180, y: 180 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / DEG };
}

/** The position at map units (x, y): the inverse of `project`. */
export function unproject(
  x: number,
  y: number,
  projection: Projection = "plate",
): { lat: number; lon: number } {
  if (projection === "plate") return { lat: 90 - y, lon: x - 180 };
  return { lat: (2 * Math.atan(Math.exp((180 - y) * DEG)) - Math.PI / 2) / DEG, lon: x - 180 };
}

export interface View {
  x: number;
  y: number;
  w: number;
}

/** A view moved (not resized) to lie inside the world: `w` wide, `w / 2` high. */
export function clampView(view: View, projection: Projection = "plate"): View {
  const w = Math.min(360, view.w);
  return {
    w,
    x: Math.min(360 - w, Math.max(0, view.x)),
    y: Math.min(worldHeight(projection) - w / 2, Math.max(0, view.y)),
  };
}

/** The whole world's width: all of the plate carrée, Web Mercator's middle (latitudes ±66.5°, pan for the rest). */
export function worldView(projection: Projection): View {
  return { x: 0, y: (worldHeight(projection) - 180) / 2, w: 360 };
}

/** The view `w` map units wide (and half as high) centred on a position, kept inside the world. */
export function viewAround(lat: number, lon: number, w: number, projection: Projection = "plate"): View {
  const { x, y } = project(lat, lon, projection);
  return clampView({ w, x: x - w / 2, y: y - w / 4 }, projection);
}

/** The same part of the world, as near as the other projection allows: same centre, same width. */
export function reprojectView(view: View, from: Projection, to: Projection): View {
  if (from === to) return view;
  const centre = unproject(view.x + view.w / 2, view.y + view.w / 4, from);
  return viewAround(centre.lat, centre.lon, view.w, to);
}
