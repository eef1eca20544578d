import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  createDatabase,
  newId,
  type RunningServer,
  randomB64,
  removeTempDirs,
  signupAndLogin,
  startServer,
  type TestUser,
  tempDir,
} from "./harness.js";

const BODY_LIMIT = 4 * 1024 * 1024;

/** Sends raw bytes over TCP and answers the status line (for requests fetch refuses to make). */
function rawRequest(url: string, payload: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(payload));
    let data = "";
    socket.on("data", (chunk) => {
      data += chunk.toString();
    });
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
    socket.setTimeout(10_000, () => reject(new Error("raw request timed out")));
  });
}

/**
 * Announces a large JSON body and waits for the answer before sending it: the server must refuse from the
 * Content-Length alone (sending the body first races with the server closing the socket: EPIPE).
 */
function postLarge(url: string, token: string, length: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": length,
      },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        req.destroy();
        resolve(
          new Response(Buffer.concat(chunks), {
            status: res.statusCode,
            headers: res.headers as Record<string, string>,
          }),
        );
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    req.write('{"id":');
  });
}

describe.each(backends)("malformed and oversized input ($name)", (backend) => {
  let server: RunningServer;
  let base: string;
  let dropDb: () => Promise<void>;
  let user: TestUser;
  let webDir: string;

  beforeAll(async () => {
    const dataDir = await tempDir();
    const db = await createDatabase(backend, dataDir);
    dropDb = db.drop;
    webDir = await tempDir("umbra-web-");
    await fs.mkdir(path.join(webDir, "assets"));
    await fs.writeFile(path.join(webDir, "index.html"), "<!doctype html><title>umbra web</title>");
    await fs.writeFile(path.join(webDir, "assets", "app-1234.js"), "console.log('umbra');");
    server = await startServer({
      dataDir,
      databaseUrl: db.url,
      env: { UMBRA_BODY_LIMIT: String(BODY_LIMIT), UMBRA_WEB_DIR: webDir },
    });
    base = server.url;
    user = await signupAndLogin(base);
  });
  afterAll(async () => {
    await server?.stop();
    await dropDb?.();
    await removeTempDirs();
  });

  const post = (path: string, body: string, contentType = "application/json") =>
    fetch(base + path, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "content-type": contentType },
      body,
    });

  it("answers clear 4xx JSON errors and keeps serving", async () => {
    const cases: [string, () => Promise<Response>, number, string][] = [
      ["broken JSON", () => post("/api/albums", '{"id": "a_'), 400, "MALFORMED_JSON"],
      ["not an object", () => post("/api/albums", "[1,2,3]"), 400, "VALIDATION_FAILED"],
      ["wrong content type", () => post("/api/albums", "id=1", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE"],
      [
        "bad id format",
        () =>
          post("/api/albums", JSON.stringify({ id: "a_short", encryptedName: "x", wrappedAlbumKey: "y" })),
        400,
        "VALIDATION_FAILED",
      ],
      [
        "padded base64",
        () =>
          post(
            "/api/albums",
            JSON.stringify({ id: newId("a"), encryptedName: "abc=", wrappedAlbumKey: randomB64() }),
          ),
        400,
        "VALIDATION_FAILED",
      ],
      [
        "oversized body",
        () => postLarge(`${base}/api/albums`, user.token, BODY_LIMIT + 1),
        413,
        "PAYLOAD_TOO_LARGE",
      ],
      [
        "oversized thumbnail",
        () =>
          post(
            "/api/files",
            JSON.stringify({
              id: newId("f"),
              uploadId: "0".repeat(32),
              albumId: user.libraryAlbumId,
              wrappedFileKey: randomB64(),
              encryptedMetadata: randomB64(),
              thumbnails: { grid: randomBytes(2 * 1024 * 1024 + 10).toString("base64url"), preview: "AA" },
            }),
          ),
        400,
        "VALIDATION_FAILED",
      ],
      [
        "unknown route",
        () => fetch(`${base}/api/nothing-here`, { headers: { authorization: `Bearer ${user.token}` } }),
        404,
        "NOT_FOUND",
      ],
      [
        "bad thumbnail variant",
        () =>
          fetch(`${base}/api/files/${newId("f")}/thumbnails/huge`, {
            headers: { authorization: `Bearer ${user.token}` },
          }),
        400,
        "VALIDATION_FAILED",
      ],
      [
        "sync limit too big",
        () => fetch(`${base}/api/sync?limit=100000`, { headers: { authorization: `Bearer ${user.token}` } }),
        400,
        "VALIDATION_FAILED",
      ],
      [
        "upload without Upload-Length",
        () =>
          fetch(`${base}/api/uploads`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${user.token}`,
              "tus-resumable": "1.0.0",
              "upload-defer-length": "1",
            },
          }),
        400,
        "LENGTH_REQUIRED",
      ],
      [
        "signup with a weak KDF",
        () =>
          post(
            "/api/auth/signup/finish",
            JSON.stringify({
              email: "weak@example.test",
              registrationRecord: randomB64(100),
              keyBundle: {
                version: 1,
                userId: newId("u"),
                kdf: { algorithm: "PBKDF2-SHA256", iterations: 1000, salt: randomB64(32) },
                passwordWrappedMasterKey: randomB64(60),
                recoveryWrappedMasterKey: randomB64(60),
                publicKeys: null,
                wrappedPrivateKeys: null,
              },
              recoveryVerifier: randomB64(32),
              libraryAlbum: { id: newId("a"), encryptedName: randomB64(), wrappedAlbumKey: randomB64() },
            }),
          ),
        400,
        "VALIDATION_FAILED",
      ],
      [
        "garbage OPAQUE message",
        () =>
          post(
            "/api/auth/signup/start",
            JSON.stringify({ email: "x@example.test", registrationRequest: "AAAA" }),
          ),
        400,
        "BAD_OPAQUE_MESSAGE",
      ],
    ];
    for (const [label, send, status, code] of cases) {
      const res = await send();
      expect(res.status, label).toBe(status);
      expect(res.headers.get("content-type"), label).toContain("application/json");
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code, label).toBe(code);
      expect(body.error.message.length, label).toBeGreaterThan(0);
    }
    // A malformed HTTP request is refused at the socket level, and the server stays up.
    expect(await rawRequest(base, "GARBAGE\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
    expect(
      await rawRequest(base, `GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`),
    ).toMatch(/^HTTP\/1\.1 400/);
    expect((await api(base, "GET", "/api/health")).body).toEqual({ ok: true });
    expect((await api(base, "GET", "/api/account", { token: user.token })).status).toBe(200);
  });

  it("sends security headers on every response, including tus and errors", async () => {
    const responses = [
      await fetch(`${base}/api/health`),
      await fetch(`${base}/api/nothing`),
      await fetch(`${base}/api/account`),
      await fetch(`${base}/api/uploads`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0", "upload-length": "5" },
      }),
      await fetch(`${base}/api/uploads`, { method: "OPTIONS" }),
    ];
    for (const res of responses) {
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, res.url).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
  });

  it("publishes an OpenAPI document covering the API", async () => {
    const res = await api<{ openapi: string; paths: Record<string, unknown> }>(
      base,
      "GET",
      "/api/openapi.json",
    );
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const path of [
      "/api/auth/login/start",
      "/api/files",
      "/api/files/{id}/content",
      "/api/sync",
      "/api/albums/{id}",
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
  });

  it("serves the web app at / with client-side routes, and never files outside it", async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toContain("text/html");
    expect(index.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await index.text()).toContain("umbra web");
    const asset = await fetch(`${base}/assets/app-1234.js`);
    expect(asset.headers.get("content-type")).toContain("javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    const route = await fetch(`${base}/albums/some-album`);
    expect(await route.text()).toContain("umbra web");
    const traversal = await rawRequest(
      base,
      "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(traversal).not.toMatch(/root:/);
    const encoded = await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`);
    expect(await encoded.text()).not.toContain("root:");
    const api404 = await fetch(`${base}/api/not-a-route`);
    expect(api404.status).toBe(404);
    expect(await api404.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});
