import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot, serverMainTs } from "./repo.js";
import { serverBundle } from "./server-bundle.js";

export interface ServerOptions {
  /**
   * "source" runs the TypeScript sources through tsx (what a test of this very checkout wants); "bundle" runs
   * them bundled once per process by esbuild (faster to start, for suites that restart servers a lot).
   */
  runtime?: "source" | "bundle";
  /** Serve and keep this folder; without it a fresh temp folder is made, and removed by `stop`/`kill`. */
  dataDir?: string;
  /** UMBRA_DATABASE_URL; default the server's own (a SQLite file in the data folder). */
  databaseUrl?: string;
  /** Serve this built web app at `/` (UMBRA_WEB_DIR). */
  webDir?: string;
  /** UMBRA_LOG_LEVEL. */
  logLevel?: string;
  /** Log to `<dataDir>/server.log` (UMBRA_LOG_FILE) instead of stdout. */
  logToFile?: boolean;
  /** More environment for the server (it wins over everything above). */
  env?: Record<string, string>;
  /** Options for node itself, before the script (e.g. --max-old-space-size). */
  nodeArgs?: string[];
  /**
   * How long the server may take to say it listens before the start fails with its output. Generous: on a busy
   * machine a cold tsx start takes tens of seconds, and the caller's hook timeout bounds the wait anyway.
   */
  startTimeoutMs?: number;
}

export interface RunningServer {
  /** http://127.0.0.1:PORT, as the server printed it. */
  url: string;
  dataDir: string;
  /** `<dataDir>/server.log` (only written with `logToFile`). */
  logFile: string;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then waits for the exit (and removes the data folder when the harness made it). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or power cut would; then as `stop`. */
  kill(): Promise<void>;
}

/** Past this, a stop is reported as stuck (the server cuts connections 10 s after SIGTERM). */
const STOP_BOUND_MS = 40_000;

/** The line the server prints once its socket is bound (packages/server/src/main.ts). */
const LISTENING = /listening on (http:\/\/\S+)/;

/** Spawns the real server on a free port and resolves once it listens (its own "listening on URL" line). */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "umbra-server-")));
  const logFile = path.join(dataDir, "server.log");
  const script =
    options.runtime === "bundle"
      ? ["--enable-source-maps", await serverBundle()]
      : ["--conditions=source", "--import", "tsx", serverMainTs];
  const env: Record<string, string> = {
    UMBRA_HOST: "127.0.0.1",
    UMBRA_PORT: "0",
    UMBRA_DATA_DIR: dataDir,
  };
  if (options.databaseUrl !== undefined) env.UMBRA_DATABASE_URL = options.databaseUrl;
  if (options.webDir !== undefined) env.UMBRA_WEB_DIR = options.webDir;
  if (options.logLevel !== undefined) env.UMBRA_LOG_LEVEL = options.logLevel;
  if (options.logToFile) env.UMBRA_LOG_FILE = logFile;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...script], {
    cwd: repoRoot,
    env: { ...process.env, ...env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not listen within ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${signal ?? code}) before it listened:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    if (ownsDataDir) await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const end = async (signal: NodeJS.Signals) => {
    const running = child.exitCode === null && child.signalCode === null;
    if (running) child.kill(signal);
    // The server bounds its own stop (10 s grace); one still running well after that is a bug to show, with
    // what it printed, rather than a hook timeout that says nothing.
    let stuck = false;
    const bound = setTimeout(() => {
      stuck = true;
      child.kill("SIGKILL");
    }, STOP_BOUND_MS);
    await exited;
    clearTimeout(bound);
    if (ownsDataDir) await fs.rm(dataDir, { recursive: true, force: true });
    if (stuck && running) {
      throw new Error(
        `the server had not exited ${STOP_BOUND_MS} ms after ${signal}; its output:\n${output.slice(-4000)}`,
      );
    }
  };
  return {
    url,
    dataDir,
    logFile,
    process: child,
    output: () => output,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
  };
}
