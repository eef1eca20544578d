// Test servers: the bundled server process, its database backends (SQLite, PostgreSQL) and temp dirs.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

const serverDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repoRoot = path.resolve(serverDir, "../..");
const mainTs = path.join(serverDir, "src/main.ts");

let bundled: Promise<string> | undefined;
/**
 * The server sources bundled once per test file with esbuild (as `npm run build` does): a node process then
 * starts in about half the time `--import tsx` takes, which matters with a few dozen restarts per run.
 * Written to one fixed path by rename, so concurrent test files never see a half-written bundle.
 */
function serverBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import("esbuild");
    const outfile = path.join(serverDir, "dist", "test", "main.js");
    const pkg = JSON.parse(await fs.readFile(path.join(serverDir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith("@umbra/"));
    const result = await build({
      entryPoints: [mainTs],
      outfile,
      write: false,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["source"],
      external: [...external, ...external.map((name) => `${name}/*`)],
      sourcemap: true,
      logLevel: "error",
    });
    await fs.mkdir(path.dirname(outfile), { recursive: true });
    for (const file of result.outputFiles) {
      const temp = `${file.path}.${randomBytes(6).toString("hex")}`;
      await fs.writeFile(temp, file.contents);
      await fs.rename(temp, file.path);
    }
    return outfile;
  })();
  return bundled;
}

export interface Backend {
  name: "sqlite" | "postgres";
}

/** SQLite always; PostgreSQL when UMBRA_TEST_PG_URL is set. */
export const backends: Backend[] = [
  { name: "sqlite" },
  ...(process.env.UMBRA_TEST_PG_URL ? [{ name: "postgres" as const }] : []),
];

/** A fresh database for one test file: a temp SQLite path or a new PostgreSQL database. */
export async function createDatabase(
  backend: Backend,
  dataDir: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (backend.name === "sqlite")
    return { url: path.join(dataDir, "umbra.sqlite"), drop: async () => undefined };
  const adminUrl = process.env.UMBRA_TEST_PG_URL!;
  const name = `umbra_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

const tempDirs: string[] = [];

export async function tempDir(prefix = "umbra-test-"): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every directory tempDir made so far (call after the servers using them have stopped). */
export async function removeTempDirs(): Promise<void> {
  for (const dir of tempDirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
}

/** Spawns the real server (a node process running the freshly bundled sources) and waits until it listens. */
export async function startServer(options: {
  dataDir: string;
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  const logFile = path.join(options.dataDir, "server.log");
  const child = spawn(process.execPath, ["--enable-source-maps", await serverBundle()], {
    cwd: repoRoot,
    env: {
      ...process.env,
      UMBRA_HOST: "127.0.0.1",
      UMBRA_PORT: "0",
      UMBRA_DATA_DIR: options.dataDir,
      UMBRA_DATABASE_URL: options.databaseUrl,
      UMBRA_LOG_FILE: logFile,
      UMBRA_SWEEP_GRACE: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    process: child,
    dataDir: options.dataDir,
    logFile,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Every regular file under dir, recursively. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * One server on a fresh database of `backend`, started before the file's tests and stopped (database dropped,
 * temp dirs removed) after them. `server()` is valid inside tests.
 */
export function serverPerFile(
  backend: Backend,
  env: Record<string, string> = {},
): { server(): RunningServer } {
  let server: RunningServer | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const dataDir = await tempDir();
    const db = await createDatabase(backend, dataDir);
    dropDb = db.drop;
    server = await startServer({ dataDir, databaseUrl: db.url, env });
  });
  afterAll(async () => {
    await server?.stop();
    await dropDb?.();
    await removeTempDirs();
  });
  return {
    server() {
      if (!server) throw new Error("the server is not started yet");
      return server;
    },
  };
}
