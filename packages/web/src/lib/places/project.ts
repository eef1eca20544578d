/** Map units of a position: the plate carrée in degrees, x = longitude + 180, y = 90 − latitude (world: 0 0 360 180). */
export function project(lat: number, lon: number): { x: number; y: number } {
  return { x: lon + 180, y: 90 - lat };
}
