import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { buildCliForTests } from "./build-once.js";
import { type CliRun, largestFileSize, type RunningServer, startServer } from "./harness.js";

/** A test file's own server and work folder, readable in its hooks and tests once they started. */
export interface CliTestServer {
  readonly server: RunningServer;
  readonly work: string;
  /** The CLI's environment for one account: this server, a config folder in `work`, the password, and `more`. */
  env(password: string, more?: Record<string, string>): Record<string, string>;
}

/**
 * For one test file: builds the CLI, starts a server of its own (`serverEnv` added to its environment) and makes
 * a work folder before the file's tests, then stops and removes both. Hooks the file registers later run after.
 */
export function useCliServer(name: string, serverEnv: Record<string, string> = {}): CliTestServer {
  let server: RunningServer | undefined;
  let work: string | undefined;
  beforeAll(async () => {
    await buildCliForTests();
    server = await startServer(serverEnv);
    work = await mkdtemp(join(tmpdir(), `umbra-cli-${name}-`));
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the test server has not started (read it in a hook or a test)");
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get work() {
      return started(work);
    },
    env(password, more = {}) {
      return {
        UMBRA_SERVER: started(server).url,
        UMBRA_CONFIG_DIR: join(started(work), "config"),
        UMBRA_PASSWORD: password,
        ...more,
      };
    },
  };
}

/** Waits until the server holds `bytes` of a running CLI's upload, the CLI exited, or 150 s passed. */
export async function untilServerHolds(server: RunningServer, run: CliRun, bytes: number): Promise<void> {
  const uploads = join(server.dataDir, "uploads");
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline && run.child.exitCode === null && (await largestFileSize(uploads)) < bytes) {
    await new Promise((r) => setTimeout(r, 10));
  }
}
