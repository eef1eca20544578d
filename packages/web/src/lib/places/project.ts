/** Map units of a position: the plate carrée in degrees, x = longitude + 180, y = 90 − latitude (world: 0 0 360 180). */
export function project(lat: number, lon: number): { x: number; y: number } {
  return { x: lon + 180, y: 90 - lat };
}

/** The view `w` map units wide (and half as high) centred on a position, kept inside the world. */
export function viewAround(lat: number, lon: number, w: number): { x: number; y: number; w: number } {
  const { x, y } = project(lat, lon);
  return {
    w,
    x: Math.min(360 - w, Math.max(0, x - w / 2)),
    y: Math.min(180 - w / 2, Math.max(0, y - w / 4)),
  };
}
