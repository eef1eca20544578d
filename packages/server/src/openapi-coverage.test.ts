import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type UmbraServer } from "./app.js";
import { loadConfig } from "./config.js";

describe("the OpenAPI document", () => {
  let dir: string;
  let server: UmbraServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "umbra-openapi-"));
    server = await createServer(loadConfig({ UMBRA_DATA_DIR: dir, UMBRA_LOG_LEVEL: "silent" }));
    await server.app.ready();
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists every registered route with each of its methods", async () => {
    const res = await server.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(res.statusCode).toBe(200);
    const paths = (res.json() as { paths: Record<string, Record<string, unknown>> }).paths;
    const getUrls = new Set(server.routes.filter((r) => [r.method].flat().includes("GET")).map((r) => r.url));
    const expected: string[] = [];
    for (const route of server.routes) {
      for (const method of [route.method].flat()) {
        // Fastify adds a HEAD route to every GET route by itself: the GET documents both.
        if (method === "HEAD" && getUrls.has(route.url)) continue;
        expected.push(`${method} ${route.url.replace(/:(\w+)/g, "{$1}")}`);
      }
    }
    const documented = Object.entries(paths).flatMap(([url, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${url}`),
    );
    expect(expected).toEqual(
      expect.arrayContaining(["GET /api/health", "POST /api/uploads", "PATCH /api/uploads/{id}"]),
    );
    expect(documented.sort()).toEqual(expected.sort());
  });
});
