// topojson-client ships no declarations; only `feature` is used, to turn world-atlas's TopoJSON into GeoJSON.
declare module "topojson-client" {
  type Position = [number, number];
  export interface Geometry {
    type: string;
    coordinates: unknown;
  }
  export interface FeatureCollection {
    type: "FeatureCollection";
    features: {
      type: "Feature";
      id?: string;
      properties: Record<string, unknown>;
      geometry: Geometry | null;
    }[];
  }
  export function feature(topology: unknown, object: unknown): FeatureCollection;
  export type { Position };
}
