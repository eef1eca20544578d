/** One row of the bundled city table: name, ISO 3166-1 alpha-2 country, lat×100, lon×100, population/1000. */
export type CityRow = readonly [name: string, country: string, lat100: number, lon100: number, kpop: number];

/** Where a photo was taken, as far as the offline table can tell: the city it is in or near, and its country. */
export interface Place {
  city: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** The city's own coordinates (its centre in GeoNames). */
  lat: number;
  lon: number;
}

const EARTH_KM = 6371;
/** A point further than this from the edge of every city's reach is in no city (the sea, a desert, the poles). */
const REACH_KM = 40;
const CELL_DEG = 1;

const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in km. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const a =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 +
    Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** How far a city reaches, km: a big city's centre is far from its edges (Paris ≈ 7 km, a town of 15,000 ≈ 1.5 km). */
function radiusKm(kpop: number): number {
  return 1 + 0.004 * Math.sqrt(kpop * 1000);
}

const cellKey = (latCell: number, lonCell: number) => latCell * 1000 + lonCell;
const latCellOf = (lat: number) => Math.floor((lat + 90) / CELL_DEG);
const lonCellOf = (lon: number) => Math.floor(((((lon + 180) % 360) + 360) % 360) / CELL_DEG);
const LON_CELLS = 360 / CELL_DEG;

/**
 * Nearest-city lookup over grid buckets of 1° × 1°: a point looks only at the cells within reach around it (wider
 * in longitude near the poles, wrapping at the antimeridian). Among the cities in reach the one with the smallest
 * distance relative to its size wins, so the Eiffel Tower is in Paris rather than in the suburb a little nearer.
 */
export class Geocoder {
  readonly #rows: readonly CityRow[];
  readonly #cells = new Map<number, number[]>();
  readonly #maxRadius: number;

  constructor(rows: readonly CityRow[]) {
    this.#rows = rows;
    let maxRadius = 0;
    rows.forEach((row, i) => {
      const key = cellKey(latCellOf(row[2] / 100), lonCellOf(row[3] / 100));
      const cell = this.#cells.get(key);
      if (cell) cell.push(i);
      else this.#cells.set(key, [i]);
      maxRadius = Math.max(maxRadius, radiusKm(row[4]));
    });
    this.#maxRadius = maxRadius;
  }

  get size(): number {
    return this.#rows.length;
  }

  /** The place at (lat, lon), or null when no city is within reach. */
  lookup(lat: number, lon: number): Place | null {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
    const spanKm = REACH_KM + this.#maxRadius;
    const latSpan = Math.ceil(spanKm / 111 / CELL_DEG);
    const cos = Math.cos(rad(Math.min(89, Math.abs(lat))));
    const lonSpan = Math.min(LON_CELLS / 2, Math.ceil(spanKm / (111 * cos) / CELL_DEG));
    const latCell = latCellOf(lat);
    const lonCell = lonCellOf(lon);
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let dy = -latSpan; dy <= latSpan; dy++) {
      const y = latCell + dy;
      if (y < 0 || y >= 180 / CELL_DEG) continue;
      for (let dx = -lonSpan; dx <= lonSpan; dx++) {
        const cell = this.#cells.get(cellKey(y, (((lonCell + dx) % LON_CELLS) + LON_CELLS) % LON_CELLS));
        if (!cell) continue;
        for (const i of cell) {
          const row = this.#rows[i]!;
          const d = distanceKm(lat, lon, row[2] / 100, row[3] / 100);
          const r = radiusKm(row[4]);
          if (d > REACH_KM + r) continue;
          const score = d / r;
          if (score < bestScore) {
            bestScore = score;
            best = i;
          }
        }
      }
    }
    if (best < 0) return null;
    const row = this.#rows[best]!;
    return { city: row[0], country: row[1], lat: row[2] / 100, lon: row[3] / 100 };
  }
}
