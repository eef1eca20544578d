// The world's borders for the maps of Places, drawn from Natural Earth's 1:110m countries (world-atlas's TopoJSON,
// turned into GeoJSON by topojson-client) in the plate carrée: x = longitude + 180, y = 90 − latitude, so the
// whole world is the box 0 0 360 180 (or, under raster tiles a self-hoster offers, in Web Mercator: project.ts).
// Loaded lazily (its own chunk, ~100 kB) and drawn as one SVG path.
import { feature } from "topojson-client";
import countries from "world-atlas/countries-110m.json";
import { type Projection, project } from "./project.js";

type Ring = [number, number][];

const num = (n: number) => String(Math.round(n * 100) / 100);

/**
 * A ring that crosses the antimeridian (Russia, Fiji) is made continuous and drawn once more a world to the side,
 * so the map's edge cuts it instead of a stripe across the world; one that goes all the way round a pole
 * (Antarctica) is closed along the pole.
 */
function ringPaths(ring: Ring, projection: Projection): string[] {
  let crosses = false;
  const pts: [number, number][] = [];
  let shift = 0;
  for (let i = 0; i < ring.length; i++) {
    const [lon, lat] = ring[i]!;
    if (i > 0) {
      const prev = ring[i - 1]![0];
      if (lon - prev > 180) shift -= 360;
      else if (prev - lon > 180) shift += 360;
      if (shift !== 0) crosses = true;
    }
    pts.push([lon + shift, lat]);
  }
  if (!crosses) return [toPath(pts, projection)];
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  if (Math.abs(last[0] - first[0]) > 180) {
    const pole = pts.reduce((s, p) => s + p[1], 0) < 0 ? -90 : 90;
    pts.push([last[0], pole], [first[0], pole]);
  }
  const min = Math.min(...pts.map((p) => p[0]));
  const max = Math.max(...pts.map((p) => p[0]));
  const out: string[] = [];
  for (const offset of [-720, -360, 0, 360, 720]) {
    if (max + offset < -180 || min + offset > 180) continue;
    out.push(
      toPath(
        pts.map(([lon, lat]) => [lon + offset, lat]),
        projection,
      ),
    );
  }
  return out;
}

function toPath(pts: [number, number][], projection: Projection): string {
  const xy = pts.map(([lon, lat]) => project(lat, lon, projection));
  return `M${xy.map(({ x, y }) => `${num(x)},${num(y)}`).join("L")}Z`;
}

function worldPath(projection: Projection): string {
  const parts: string[] = [];
  for (const f of feature(countries, countries.objects.countries).features) {
    const g = f.geometry;
    if (!g) continue;
    const polygons =
      g.type === "Polygon"
        ? [g.coordinates as Ring[]]
        : g.type === "MultiPolygon"
          ? (g.coordinates as Ring[][])
          : [];
    for (const polygon of polygons) for (const ring of polygon) parts.push(...ringPaths(ring, projection));
  }
  return parts.join("");
}

/** Every country's outline as one SVG path in map units (fill with even-odd for the holes). */
export const WORLD_PATH = worldPath("plate");

let mercatorPath: string | undefined;
/** The same outlines in `projection` (the Web Mercator one made the first time tiles are shown). */
export function worldPathIn(projection: Projection): string {
  if (projection === "plate") return WORLD_PATH;
  mercatorPath ??= worldPath("mercator");
  return mercatorPath;
}
