import { describe, expect, it } from "vitest";
import {
  clampView,
  MERCATOR_MAX_LAT,
  project,
  reprojectView,
  unproject,
  viewAround,
  worldHeight,
  worldView,
} from "./project.js";

describe("projections", () => {
  it("the plate carrée is longitude and latitude in degrees", () => {
    expect(project(48.8584, 2.2945)).toEqual({ x: 182.2945, y: 90 - 48.8584 });
    expect(worldHeight("plate")).toBe(180);
    expect(worldView("plate")).toEqual({ x: 0, y: 0, w: 360 });
  });

  it("Web Mercator is a square world between ±85.05°, the equator across its middle", () => {
    expect(project(0, -180, "mercator")).toEqual({ x: 0, y: 180 });
    expect(project(MERCATOR_MAX_LAT, 0, "mercator").y).toBeCloseTo(0, 6);
    expect(project(-MERCATOR_MAX_LAT, 0, "mercator").y).toBeCloseTo(360, 6);
    // Nearer the poles is drawn at the edge.
    expect(project(89.9, 0, "mercator").y).toBeCloseTo(0, 6);
    expect(project(-90, 0, "mercator").y).toBeCloseTo(360, 6);
    expect(worldView("mercator")).toEqual({ x: 0, y: 90, w: 360 });
  });

  it("unproject undoes project in both", () => {
    for (const [lat, lon] of [
      [48.8584, 2.2945],
      [-33.86, 151.21],
      [64.1, -21.9],
      [0, 0],
    ] as const) {
      for (const projection of ["plate", "mercator"] as const) {
        const { x, y } = project(lat, lon, projection);
        const back = unproject(x, y, projection);
        expect(back.lat).toBeCloseTo(lat, 9);
        expect(back.lon).toBeCloseTo(lon, 9);
      }
    }
  });

  it("a view keeps its centre and width from one projection to the other, inside the world", () => {
    const paris = viewAround(48.8584, 2.2945, 10);
    const there = reprojectView(paris, "plate", "mercator");
    expect(there.w).toBe(10);
    const centre = unproject(there.x + there.w / 2, there.y + there.w / 4, "mercator");
    expect(centre.lat).toBeCloseTo(48.8584, 6);
    expect(centre.lon).toBeCloseTo(2.2945, 6);
    expect(reprojectView(worldView("plate"), "plate", "mercator")).toEqual(worldView("mercator"));
    expect(reprojectView(worldView("mercator"), "mercator", "plate")).toEqual(worldView("plate"));
    expect(clampView({ x: -5, y: 400, w: 20 }, "mercator")).toEqual({ x: 0, y: 350, w: 20 });
    expect(clampView({ x: -5, y: 400, w: 20 }, "plate")).toEqual({ x: 0, y: 170, w: 20 });
  });
});
