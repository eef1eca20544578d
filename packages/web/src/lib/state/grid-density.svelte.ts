import { DENSITIES } from "./timeline-layout.js";

const STORAGE_KEY = "umbra.gridDensity";

function saved(): number {
  if (typeof localStorage === "undefined") return 2;
  const n = Number(localStorage.getItem(STORAGE_KEY));
  return Number.isInteger(n) && n >= 0 && n < DENSITIES.length && localStorage.getItem(STORAGE_KEY) !== null
    ? n
    : 2;
}

/** How big the grid's photos are (a row height from DENSITIES), the same on every grid, kept across visits. */
class GridDensity {
  index = $state(saved());
  readonly rowHeight = $derived(DENSITIES[this.index] ?? 200);
  readonly canGrow = $derived(this.index < DENSITIES.length - 1);
  readonly canShrink = $derived(this.index > 0);

  set(index: number): void {
    const next = Math.min(DENSITIES.length - 1, Math.max(0, Math.round(index)));
    if (next === this.index) return;
    this.index = next;
    localStorage.setItem(STORAGE_KEY, String(next));
  }

  /** +1 bigger photos, −1 smaller (more per row). */
  step(delta: 1 | -1): void {
    this.set(this.index + delta);
  }
}

export const gridDensity = new GridDensity();
