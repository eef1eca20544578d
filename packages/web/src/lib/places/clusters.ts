import { type Projection, project } from "./project.js";

export interface Located {
  id: string;
  lat: number;
  lon: number;
}

export interface Cluster {
  /** Stable for a given cell size: the grid cell it gathers. */
  key: string;
  /** Map units (see project): the mean position of its photos. */
  x: number;
  y: number;
  ids: string[];
}

/**
 * Photos gathered by proximity on the map: a grid of `cell` map units (square on screen in either projection),
 * each cell with photos one cluster drawn at their mean position. A smaller cell (zoomed in) splits them apart.
 */
export function clusterPoints(
  points: readonly Located[],
  cell: number,
  projection: Projection = "plate",
): Cluster[] {
  const cells = new Map<string, { sx: number; sy: number; ids: string[] }>();
  for (const p of points) {
    const { x, y } = project(p.lat, p.lon, projection);
    const key = `${Math.floor(x / cell)}:${Math.floor(y / cell)}`;
    const c = cells.get(key);
    if (c) {
      c.sx += x;
      c.sy += y;
      c.ids.push(p.id);
    } else cells.set(key, { sx: x, sy: y, ids: [p.id] });
  }
  return [...cells].map(([key, c]) => ({ key, x: c.sx / c.ids.length, y: c.sy / c.ids.length, ids: c.ids }));
}
