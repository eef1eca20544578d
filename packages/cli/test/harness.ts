import { type ChildProcess, spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { type RunningServer, repoRoot, startServer as startHarnessServer } from "@umbra/test-harness";

export const REPO = repoRoot;
export const CLI_BIN = join(REPO, "packages/cli/bin/umbra.js");

export type { RunningServer };

/** The real server on the TypeScript sources, on a free port with its own data directory. */
export function startServer(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<RunningServer> {
  return startHarnessServer({ logLevel: "warn", env, nodeArgs });
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
