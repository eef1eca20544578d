import { startServer as startHarnessServer } from "@umbra/test-harness";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningServer, removeTempDirs, startServer, tempDir } from "./harness.js";

// The real server process: a bad UMBRA_MAP_TILE_URL stops it before it listens, with a message saying why; a good
// one reaches every response's CSP, the tus answers (written on the raw response) included.
describe("UMBRA_MAP_TILE_URL in the server process", () => {
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await removeTempDirs();
  });

  it("refuses to start on a URL that is not an http(s) tile template, and says so", async () => {
    const dataDir = await tempDir();
    const started = startHarnessServer({
      runtime: "bundle",
      dataDir,
      env: { UMBRA_MAP_TILE_URL: "https://tiles.example.org/{z}/{x}.png" },
    });
    const error = await started.then(
      (s) => s.stop().then(() => new Error("the server started")),
      (e: Error) => e,
    );
    expect(error.message).toContain("exited (2) before it listened");
    expect(error.message).toContain("umbra: UMBRA_MAP_TILE_URL has no {y}: expected an http(s) URL");
    // The usage follows, listing the variable.
    expect(error.message).toMatch(/UMBRA_MAP_TILE_URL\s+XYZ raster tiles/);
  });

  it("names the tile origin in img-src, on tus answers too", async () => {
    const dataDir = await tempDir();
    server = await startServer({
      dataDir,
      databaseUrl: `${dataDir}/umbra.sqlite`,
      env: { UMBRA_MAP_TILE_URL: "http://127.0.0.1:9/{z}/{x}/{y}.png" },
    });
    for (const res of [
      await fetch(`${server.url}/api/config`),
      await fetch(`${server.url}/api/uploads`, { method: "OPTIONS" }),
    ]) {
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, res.url).toContain("img-src 'self' blob: data: http://127.0.0.1:9;");
    }
    expect(await (await fetch(`${server.url}/api/config`)).json()).toEqual({
      mapTiles: { url: "http://127.0.0.1:9/{z}/{x}/{y}.png", attribution: null },
    });
  });
});
