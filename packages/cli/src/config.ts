import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { KeyBundle } from "@umbra/protocol";

/**
 * What the CLI keeps between runs. The key bundle holds only wrapped keys; the master key itself
 * is never written: every command that needs it asks for the password and unwraps it locally.
 */
export interface CliConfig {
  serverUrl?: string;
  email?: string;
  userId?: string;
  token?: string;
  expiresAt?: string;
  keyBundle?: KeyBundle;
}

export function configDir(): string {
  return process.env.UMBRA_CONFIG_DIR || join(homedir(), ".config", "umbra");
}

function configPath(dir: string): string {
  return join(dir, "config.json");
}

export async function readConfig(dir = configDir()): Promise<CliConfig> {
  try {
    return JSON.parse(await readFile(configPath(dir), "utf8")) as CliConfig;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}

export async function writeConfig(config: CliConfig, dir = configDir()): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${configPath(dir)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, configPath(dir));
}

/** Local state (upload resumption, duplicate index, sync cache) of one user on one server. */
export function stateFile(dir: string, userId: string, name: string): string {
  return join(dir, "state", userId, name);
}

export async function clearState(dir: string, userId: string): Promise<void> {
  await rm(join(dir, "state", userId), { recursive: true, force: true });
}
