import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

/** The real server process on the TypeScript sources, on a free port with a temp data directory. */
export async function startServer(env: Record<string, string> = {}): Promise<{
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
  child: ChildProcess;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), "umbra-client-it-"));
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(REPO, "packages/server/src/main.ts")],
    {
      cwd: REPO,
      env: { ...process.env, UMBRA_PORT: "0", UMBRA_DATA_DIR: dataDir, UMBRA_LOG_LEVEL: "warn", ...env },
    },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return {
    url,
    dataDir,
    child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
