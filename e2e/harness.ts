import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const artifactsDir = path.join(repoRoot, "e2e/artifacts");
export const webDist = path.join(repoRoot, "packages/web/dist");

/** The policy the web app is built for: no inline script or style, no other origin (pages are tested under it). */
export const APP_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob:; media-src 'self' blob:; " +
  "style-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";

/**
 * Builds the web app with Vite (resolving workspace packages through the `source` condition), into
 * packages/web/dist or, for a test file that runs beside others, into its own `outDir`.
 */
export function buildWeb(outDir?: string): void {
  const where = outDir ? ["--outDir", outDir, "--emptyOutDir"] : [];
  execFileSync(path.join(repoRoot, "node_modules/.bin/vite"), ["build", "--logLevel", "warn", ...where], {
    cwd: path.join(repoRoot, "packages/web"),
    stdio: "inherit",
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * A real server process (SQLite, file blobs) serving the built app at `/` (from `webDir`, default
 * packages/web/dist). With `dataDir` it serves that directory and leaves it in place on stop (the web bench
 * reuses a seeded library that way).
 */
export async function startServer(
  options: { logLevel?: string; dataDir?: string; webDir?: string } = {},
): Promise<RunningServer> {
  const keepDataDir = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "umbra-e2e-"));
  const logFile = path.join(dataDir, "server.log");
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", path.join(repoRoot, "packages/server/src/main.ts")],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        UMBRA_HOST: "127.0.0.1",
        UMBRA_PORT: "0",
        UMBRA_DATA_DIR: dataDir,
        UMBRA_WEB_DIR: options.webDir ?? webDist,
        UMBRA_LOG_FILE: logFile,
        UMBRA_LOG_LEVEL: options.logLevel ?? "debug",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    logFile,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.UMBRA_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
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
