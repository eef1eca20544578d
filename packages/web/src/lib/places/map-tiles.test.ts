import { describe, expect, it } from "vitest";
import {
  fetchTileSource,
  setTilesOptIn,
  TILES_OPT_IN_KEY,
  type TileSource,
  tileSourceFrom,
  tilesOptedIn,
  visibleTiles,
} from "./map-tiles.js";
import { project, worldView } from "./project.js";

const TEMPLATE = "https://tiles.example.org/{z}/{x}/{y}.png";
const offered = (mapTiles: unknown) => ({ mapTiles });

describe("the server's tile offer, checked before anything is drawn", () => {
  it("reads a well-formed offer, and no offer as no tiles", () => {
    expect(tileSourceFrom(offered({ url: TEMPLATE, attribution: "© OpenStreetMap contributors" }))).toEqual({
      template: TEMPLATE,
      origin: "https://tiles.example.org",
      host: "tiles.example.org",
      attribution: "© OpenStreetMap contributors",
    });
    expect(
      tileSourceFrom(offered({ url: "http://127.0.0.1:8081/t/{z}/{x}/{y}", attribution: null })),
    ).toEqual({
      template: "http://127.0.0.1:8081/t/{z}/{x}/{y}",
      origin: "http://127.0.0.1:8081",
      host: "127.0.0.1:8081",
      attribution: null,
    });
    expect(tileSourceFrom(offered(null))).toBeNull();
    // Fields a later server adds are ignored.
    expect(
      tileSourceFrom({ mapTiles: { url: TEMPLATE, attribution: null, maxZoom: 3 }, other: 1 })?.origin,
    ).toBe("https://tiles.example.org");
  });

  it.each([
    ["no answer", null],
    ["a string", JSON.stringify(offered({ url: TEMPLATE, attribution: null }))],
    ["an array", [offered({ url: TEMPLATE, attribution: null })]],
    ["no mapTiles field", {}],
    ["mapTiles a string", offered(TEMPLATE)],
    ["no attribution field", offered({ url: TEMPLATE })],
    ["a number for attribution", offered({ url: TEMPLATE, attribution: 3 })],
    ["an empty attribution", offered({ url: TEMPLATE, attribution: "" })],
    ["a very long attribution", offered({ url: TEMPLATE, attribution: "x".repeat(301) })],
    ["a number for the URL", offered({ url: 42, attribution: null })],
    ["a javascript: URL", offered({ url: "javascript:alert('{z}{x}{y}')", attribution: null })],
    ["a data: URL", offered({ url: "data:image/png;base64,{z}{x}{y}", attribution: null })],
    ["a blob: URL", offered({ url: "blob:https://tiles.example.org/{z}{x}{y}", attribution: null })],
    ["an ftp: URL", offered({ url: "ftp://tiles.example.org/{z}/{x}/{y}.png", attribution: null })],
    ["a relative URL", offered({ url: "/tiles/{z}/{x}/{y}.png", attribution: null })],
    ["a protocol-relative URL", offered({ url: "//tiles.example.org/{z}/{x}/{y}.png", attribution: null })],
    ["a URL without {y}", offered({ url: "https://tiles.example.org/{z}/{x}.png", attribution: null })],
    [
      "a subdomain placeholder",
      offered({ url: "https://{s}.example.org/{z}/{x}/{y}.png", attribution: null }),
    ],
    [
      "a placeholder in the host",
      offered({ url: "https://t{x}.example.org/{z}/{x}/{y}", attribution: null }),
    ],
    ["credentials", offered({ url: "https://u:p@tiles.example.org/{z}/{x}/{y}.png", attribution: null })],
    [
      "a host a CSP would misread",
      offered({ url: "https://a;b.example.org/{z}/{x}/{y}", attribution: null }),
    ],
    ["spaces", offered({ url: "https://tiles.example.org/{z}/{x}/{y}.png *", attribution: null })],
    ["a huge URL", offered({ url: `${TEMPLATE}?${"a".repeat(3000)}`, attribution: null })],
  ])("means no tiles for %s", (_what, answer) => {
    expect(tileSourceFrom(answer)).toBeNull();
  });

  it("means no tiles when the server cannot be asked, refuses, or answers something other than JSON", async () => {
    const answering = (body: BodyInit, status = 200) =>
      (async () => new Response(body, { status })) as typeof fetch;
    expect(
      await fetchTileSource(answering(JSON.stringify(offered({ url: TEMPLATE, attribution: null })))),
    ).toEqual(expect.objectContaining({ origin: "https://tiles.example.org" }));
    expect(await fetchTileSource(answering("<html>not json</html>"))).toBeNull();
    expect(await fetchTileSource(answering('{"error":{"code":"NOT_FOUND","message":"no"}}', 404))).toBeNull();
    expect(
      await fetchTileSource(answering(JSON.stringify(offered({ url: TEMPLATE, attribution: null })), 500)),
    ).toBeNull();
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    expect(await fetchTileSource(offline)).toBeNull();
  });
});

describe("the opt-in", () => {
  const memory = () => {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
  };
  const source = tileSourceFrom(offered({ url: TEMPLATE, attribution: null })) as TileSource;
  const other = tileSourceFrom(offered({ url: "https://other.example/{z}/{x}/{y}", attribution: null }))!;

  it("is off until given, remembers the origin it was given for, and only that one", () => {
    const storage = memory();
    expect(tilesOptedIn(source, storage)).toBe(false);
    setTilesOptIn(source, true, storage);
    expect(storage.items.get(TILES_OPT_IN_KEY)).toBe("https://tiles.example.org");
    expect(tilesOptedIn(source, storage)).toBe(true);
    expect(tilesOptedIn(other, storage)).toBe(false);
    setTilesOptIn(source, false, storage);
    expect(tilesOptedIn(source, storage)).toBe(false);
    expect(storage.items.size).toBe(0);
  });

  it("is off when storage cannot be read", () => {
    const broken = {
      getItem: () => {
        throw new Error("SecurityError");
      },
    };
    expect(tilesOptedIn(source, broken)).toBe(false);
  });
});

describe("which tiles cover the view", () => {
  const source = { template: TEMPLATE, origin: "https://tiles.example.org" };

  it("draws the whole world's width at 640 px with zoom 1's four tiles", () => {
    const tiles = visibleTiles(source, worldView("mercator"), 640);
    expect(tiles.map((t) => t.key)).toEqual(["1/0/0", "1/1/0", "1/0/1", "1/1/1"]);
    expect(tiles[3]).toEqual({
      key: "1/1/1",
      url: "https://tiles.example.org/1/1/1.png",
      x: 180,
      y: 180,
      size: 180,
    });
  });

  it("picks the zoom whose tiles are about 256 px and only the tiles in view", () => {
    // 360 / 2^10 map units wide over 512 px: tiles of zoom 11, each 256 px.
    const view = { x: 182.2945 - 0.2, y: project(48.8584, 2.2945, "mercator").y - 0.1, w: 360 / 1024 };
    const tiles = visibleTiles(source, view, 512);
    const zooms = new Set(tiles.map((t) => t.key.split("/")[0]));
    expect([...zooms]).toEqual(["11"]);
    expect(tiles.length).toBeGreaterThanOrEqual(2);
    expect(tiles.length).toBeLessThanOrEqual(6);
    for (const t of tiles) {
      expect(t.x + t.size).toBeGreaterThan(view.x);
      expect(t.x).toBeLessThan(view.x + view.w);
      expect(t.y + t.size).toBeGreaterThan(view.y);
      expect(t.y).toBeLessThan(view.y + view.w / 2);
    }
  });

  it("puts a position inside the tile an XYZ server draws it on (Paris is 10/518/352)", () => {
    const paris = project(48.8584, 2.2945, "mercator");
    const size = 360 / 2 ** 10;
    expect([Math.floor(paris.x / size), Math.floor(paris.y / size)]).toEqual([518, 352]);
    const tiles = visibleTiles(source, { x: paris.x - size / 2, y: paris.y - size / 4, w: size }, 256);
    const under = tiles.find(
      (t) => paris.x >= t.x && paris.x < t.x + t.size && paris.y >= t.y && paris.y < t.y + t.size,
    );
    expect(under?.url).toBe("https://tiles.example.org/10/518/352.png");
  });

  it("never names another origin", () => {
    expect(
      visibleTiles({ template: TEMPLATE, origin: "https://elsewhere.example" }, worldView("mercator"), 640),
    ).toEqual([]);
  });
});
