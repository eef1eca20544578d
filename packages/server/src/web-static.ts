import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { FastifyReply, FastifyRequest } from "fastify";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
};

/** Serves the built web app; unknown paths get index.html (client-side routing). Returns false if none. */
export async function serveWebApp(
  webDir: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const urlPath = decodeURIComponent((request.url.split("?")[0] ?? "/").replace(/\/+$/, "") || "/index.html");
  let file = path.resolve(webDir, `.${urlPath}`);
  if (!file.startsWith(webDir + path.sep)) return false;
  let stats = await fs.stat(file).catch(() => null);
  if (stats?.isDirectory()) {
    file = path.join(file, "index.html");
    stats = await fs.stat(file).catch(() => null);
  }
  if (!stats?.isFile()) {
    file = path.join(webDir, "index.html");
    stats = await fs.stat(file).catch(() => null);
    if (!stats?.isFile()) return false;
  }
  const type = TYPES[path.extname(file)] ?? "application/octet-stream";
  const immutable = /\/assets\//.test(file);
  reply
    .header("content-type", type)
    .header("content-length", String(stats.size))
    .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  await reply.send(createReadStream(file));
  return true;
}
