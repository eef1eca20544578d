import { describe, expect, it } from "vitest";
import { clusterPoints } from "./clusters.js";
import { project } from "./project.js";
import { WORLD_PATH } from "./world-map.js";

const photos = [
  { id: "eiffel", lat: 48.8584, lon: 2.2945 },
  { id: "louvre", lat: 48.8606, lon: 2.3376 },
  { id: "tokyo", lat: 35.6762, lon: 139.6503 },
];

describe("clusters on the map", () => {
  it("gathers nearby photos into one cluster at their mean position, far ones apart", () => {
    const clusters = clusterPoints(photos, 10);
    expect(clusters.map((c) => c.ids)).toEqual([["eiffel", "louvre"], ["tokyo"]]);
    expect(clusters[0]!.x).toBeCloseTo(180 + (2.2945 + 2.3376) / 2, 5);
    expect(clusters[0]!.y).toBeCloseTo(90 - (48.8584 + 48.8606) / 2, 5);
  });

  it("clusters in Web Mercator map units when the map is drawn under tiles", () => {
    const clusters = clusterPoints(photos, 10, "mercator");
    expect(clusters.map((c) => c.ids)).toEqual([["eiffel", "louvre"], ["tokyo"]]);
    expect(clusters[1]!.x).toBeCloseTo(project(35.6762, 139.6503, "mercator").x, 9);
    expect(clusters[1]!.y).toBeCloseTo(project(35.6762, 139.6503, "mercator").y, 9);
  });

  it("splits them when zoomed in far enough", () => {
    expect(clusterPoints(photos, 0.01)).toHaveLength(3);
    expect(clusterPoints([], 10)).toEqual([]);
  });
});

describe("the world map", () => {
  it("is one path within the world's box, antimeridian rings included", () => {
    expect(WORLD_PATH.startsWith("M")).toBe(true);
    const numbers = WORLD_PATH.match(/-?\d+(\.\d+)?/g)!.map(Number);
    expect(numbers.length).toBeGreaterThan(10_000);
    const xs = numbers.filter((_, i) => i % 2 === 0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(360 * 3);
    expect(WORLD_PATH.length).toBeLessThan(400_000);
  });
});
