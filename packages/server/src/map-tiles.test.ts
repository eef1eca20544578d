import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PublicConfigResponse } from "@umbra/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type UmbraServer } from "./app.js";
import { ConfigError, helpText, loadConfig } from "./config.js";

const TILES = "https://tiles.example.org/{z}/{x}/{y}.png";

describe("UMBRA_MAP_TILE_URL", () => {
  const load = (env: Record<string, string>) => loadConfig({ UMBRA_DATA_DIR: "/tmp/unused", ...env });

  it("is off by default, and read with its attribution when set", () => {
    expect(load({}).mapTiles).toBeNull();
    expect(load({ UMBRA_MAP_TILE_URL: "" }).mapTiles).toBeNull();
    expect(load({ UMBRA_MAP_TILE_URL: TILES }).mapTiles).toEqual({
      url: TILES,
      origin: "https://tiles.example.org",
      attribution: null,
    });
    expect(
      load({
        UMBRA_MAP_TILE_URL: ` http://127.0.0.1:8081/tiles/{z}/{y}/{x}.png?key=k `,
        UMBRA_MAP_TILE_ATTRIBUTION: "© OpenStreetMap contributors",
      }).mapTiles,
    ).toEqual({
      url: "http://127.0.0.1:8081/tiles/{z}/{y}/{x}.png?key=k",
      origin: "http://127.0.0.1:8081",
      attribution: "© OpenStreetMap contributors",
    });
    expect(helpText()).toContain("UMBRA_MAP_TILE_URL");
    expect(helpText()).toContain("UMBRA_MAP_TILE_ATTRIBUTION");
  });

  it.each([
    ["tiles.example.org/{z}/{x}/{y}.png", "is not an absolute URL"],
    ["ftp://tiles.example.org/{z}/{x}/{y}.png", "is not an http or https URL"],
    ["javascript:alert(1)//{z}{x}{y}", "is not an http or https URL"],
    ["https://tiles.example.org/{z}/{x}.png", "has no {y}"],
    ["https://tiles.example.org/{z}/{x}/{y}{r}.png", "placeholder other than"],
    ["https://{s}.tiles.example.org/{z}/{x}/{y}.png", "placeholder other than"],
    ["https://t{z}.example.org/{z}/{x}/{y}.png", "in its host"],
    ["https://user:secret@tiles.example.org/{z}/{x}/{y}.png", "user name or password"],
    ["https://tiles;img-src *.example.org/{z}/{x}/{y}.png", "spaces"],
    ["https://a;b.example.org/{z}/{x}/{y}.png", "unusable host name"],
  ])("refuses %s at startup with a clear error", (url, problem) => {
    let error: unknown;
    try {
      load({ UMBRA_MAP_TILE_URL: url });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^UMBRA_MAP_TILE_URL /);
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).toContain("https://tiles.example.org/{z}/{x}/{y}.png");
  });

  it("refuses an attribution without a URL, or one that is not one short line", () => {
    expect(() => load({ UMBRA_MAP_TILE_ATTRIBUTION: "© someone" })).toThrow(
      /UMBRA_MAP_TILE_ATTRIBUTION is set but UMBRA_MAP_TILE_URL is not/,
    );
    expect(() => load({ UMBRA_MAP_TILE_URL: TILES, UMBRA_MAP_TILE_ATTRIBUTION: "x".repeat(301) })).toThrow(
      ConfigError,
    );
    expect(() => load({ UMBRA_MAP_TILE_URL: TILES, UMBRA_MAP_TILE_ATTRIBUTION: "a\u0007b" })).toThrow(
      ConfigError,
    );
  });
});

/** A server in this process on a fresh data folder, with `env` added to its configuration. */
async function serverWith(
  env: Record<string, string>,
): Promise<{ server: UmbraServer; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "umbra-tiles-"));
  const server = await createServer(loadConfig({ UMBRA_DATA_DIR: dir, UMBRA_LOG_LEVEL: "silent", ...env }));
  await server.app.ready();
  return {
    server,
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const imgSrc = (csp: string | undefined) => /(?:^|;\s*)img-src ([^;]*)/.exec(csp ?? "")?.[1];

describe("GET /api/config and the CSP", () => {
  let plain: Awaited<ReturnType<typeof serverWith>>;
  let tiled: Awaited<ReturnType<typeof serverWith>>;
  beforeAll(async () => {
    plain = await serverWith({});
    tiled = await serverWith({
      UMBRA_MAP_TILE_URL: TILES,
      UMBRA_MAP_TILE_ATTRIBUTION: "© OpenStreetMap contributors",
    });
  });
  afterAll(async () => {
    await plain?.stop();
    await tiled?.stop();
  });

  it("offers no tiles and allows images from no other origin when unset", async () => {
    const res = await plain.server.app.inject({ method: "GET", url: "/api/config" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ mapTiles: null });
    expect(PublicConfigResponse.parse(res.json())).toEqual({ mapTiles: null });
    expect(imgSrc(res.headers["content-security-policy"] as string)).toBe("'self' blob: data:");
  });

  it("offers the tile URL and its attribution, without an account, when set", async () => {
    const res = await tiled.server.app.inject({ method: "GET", url: "/api/config" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.json()).toEqual({ mapTiles: { url: TILES, attribution: "© OpenStreetMap contributors" } });
    expect(PublicConfigResponse.safeParse(res.json()).success).toBe(true);
  });

  // tus answers on the raw response (hijacked, which inject cannot wait for): test/map-tiles.test.ts covers it.
  it("adds the tile origin, and only it, to img-src on every response (API, errors)", async () => {
    for (const request of [
      { method: "GET", url: "/api/config" },
      { method: "GET", url: "/api/health" },
      { method: "GET", url: "/api/no-such-route" },
      { method: "GET", url: "/api/account" },
    ] as const) {
      const res = await tiled.server.app.inject(request);
      const csp = res.headers["content-security-policy"] as string;
      expect(imgSrc(csp), `${request.method} ${request.url}`).toBe(
        "'self' blob: data: https://tiles.example.org",
      );
      // Nothing else is loosened: scripts, connections and media stay on the app's own origin.
      expect(csp).toContain("default-src 'self';");
      expect(csp).toContain("connect-src 'self';");
      expect(csp).toContain("media-src 'self' blob:;");
      expect(csp.match(/tiles\.example\.org/g)).toHaveLength(1);
    }
  });

  it("is in the OpenAPI document", async () => {
    const res = await plain.server.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(Object.keys((res.json() as { paths: Record<string, unknown> }).paths)).toContain("/api/config");
  });
});
