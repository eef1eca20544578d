// Build, server and browser plumbing for the web benchmark (same steps as e2e/harness.ts, which is not ours to
// edit): Vite build, a real server process on a temp data dir, Debian chromium through playwright-core.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const webDir = path.join(repoRoot, "packages/web");

export function buildWeb(): void {
  execFileSync(path.join(repoRoot, "node_modules/.bin/vite"), ["build", "--logLevel", "error"], {
    cwd: webDir,
    stdio: "inherit",
  });
}

export interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<BenchServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "umbra-web-bench-"));
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
        UMBRA_WEB_DIR: path.join(webDir, "dist"),
        UMBRA_LOG_FILE: path.join(dataDir, "server.log"),
        UMBRA_LOG_LEVEL: "warn",
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
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
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
