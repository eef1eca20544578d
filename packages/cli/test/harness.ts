import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const SERVER_MAIN = join(REPO, "packages/server/src/main.ts");
export const CLI_BIN = join(REPO, "packages/cli/bin/umbra.js");

export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The real server on the TypeScript sources, on a free port with its own data directory. */
export async function startServer(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "umbra-cli-server-"));
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--conditions=source", "--import", "tsx", SERVER_MAIN],
    {
      cwd: REPO,
      env: { ...process.env, UMBRA_PORT: "0", UMBRA_DATA_DIR: dataDir, UMBRA_LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dataDir,
    process: child,
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

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Output so far. */
  stdout(): string;
}

export function startCli(args: string[], options: { env: Record<string, string>; input?: string }): CliRun {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: REPO,
    env: { ...process.env, UMBRA_PASSWORD: "", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin!.end(options.input ?? "");
  const done = new Promise<CliResult>((resolve) => {
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout };
}

export function runCli(
  args: string[],
  options: { env: Record<string, string>; input?: string },
): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Every regular file under dir, as paths relative to it. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

export async function largestFileSize(dir: string): Promise<number> {
  let max = 0;
  for (const rel of await listFiles(dir).catch(() => [] as string[])) {
    if (rel.endsWith(".json")) continue;
    max = Math.max(max, (await stat(join(dir, rel))).size);
  }
  return max;
}
