import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import {
  type RunningServer,
  repoRoot,
  startServer as startHarnessServer,
  webDist,
} from "@umbra/test-harness";

export { buildWeb, type RunningServer, repoRoot, webDist } from "@umbra/test-harness";
export { launchChromium } from "@umbra/test-harness/chromium";

export const artifactsDir = path.join(repoRoot, "e2e/artifacts");

/** The policy the web app is built for: no inline script or style, no other origin (pages are tested under it). */
export const APP_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; media-src 'self' blob:; " +
  "style-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";

/**
 * A real server process (SQLite, file blobs) serving the built app at `/` (from `webDir`, default
 * packages/web/dist), logging to `<dataDir>/server.log`. With `dataDir` it serves that directory and leaves it
 * in place on stop (the web bench reuses a seeded library that way). `env` adds to its configuration
 * (`UMBRA_MAP_TILE_URL`…).
 */
export function startServer(
  options: { logLevel?: string; dataDir?: string; webDir?: string; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  return startHarnessServer({
    dataDir: options.dataDir,
    webDir: options.webDir ?? webDist,
    logLevel: options.logLevel ?? "debug",
    logToFile: true,
    env: options.env,
  });
}

/** Every byte the server wrote (database, WAL, blobs, pending uploads, log), file by file. */
export function serverFiles(dir: string): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ file: full, bytes: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}
