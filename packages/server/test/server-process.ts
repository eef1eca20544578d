// Test servers: the bundled server process, its database backends (SQLite, PostgreSQL) and temp dirs, from the
// shared harness; what is left here is how this suite uses them.
import fs from "node:fs/promises";
import path from "node:path";
import {
  type Backend,
  createDatabase,
  type RunningServer,
  removeTempDirs,
  startServer as startHarnessServer,
  tempDir,
} from "@umbra/test-harness";
import { afterAll, beforeAll } from "vitest";

export { type Backend, backends, createDatabase, removeTempDirs, tempDir } from "@umbra/test-harness";
export type { RunningServer };

/** Spawns the real server (a node process running the freshly bundled sources) and waits until it listens. */
export function startServer(options: {
  dataDir: string;
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  return startHarnessServer({
    runtime: "bundle",
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    logToFile: true,
    // The sweeper may then remove an orphan blob at once, as these tests expect.
    env: { UMBRA_SWEEP_GRACE: "0", ...options.env },
  });
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
