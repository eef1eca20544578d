import { createReadStream } from "node:fs";
import { hostname } from "node:os";
import { Readable } from "node:stream";
import { type Session, UmbraClient, type UploadSource } from "@umbra/client";
import { contentDigest } from "@umbra/crypto";
import { CliError } from "./cli-error.js";
import { type CliConfig, configDir, readConfig, stateFile, writeConfig } from "./config.js";
import { FileDigestError, fileDigests } from "./file-digests.js";
import { JsonFileStore } from "./json-file-store.js";
import { readPassword } from "./secrets.js";
import type { LocalFile } from "./walk.js";
import { reportWarnings } from "./warnings-output.js";

export interface GlobalOptions {
  server?: string;
}

/** The server URL: --server, else UMBRA_SERVER, else the one saved at login. */
export function serverUrlFrom(global: GlobalOptions, config: CliConfig): string {
  const url = global.server || process.env.UMBRA_SERVER || config.serverUrl;
  if (!url) throw new CliError("INVALID_INPUT", "No server: pass --server URL or set UMBRA_SERVER");
  try {
    new URL(url);
  } catch {
    throw new CliError("INVALID_INPUT", `Not a URL: ${url}`);
  }
  return url.replace(/\/+$/, "");
}

export function deviceName(): string {
  return `umbra-cli@${hostname()}`.slice(0, 100);
}

/** A client whose warnings (records skipped, rollbacks refused, …) are printed on stderr as they are raised. */
export function newClient(serverUrl: string): UmbraClient {
  const dir = configDir();
  const client = new UmbraClient({
    serverUrl,
    deviceName: deviceName(),
    storeFor: (userId) => new JsonFileStore(stateFile(dir, userId, "state.json")),
  });
  reportWarnings(client);
  return client;
}

export async function saveSession(serverUrl: string, session: Session): Promise<void> {
  await writeConfig({
    serverUrl,
    email: session.email,
    userId: session.userId,
    token: session.token,
    expiresAt: session.expiresAt,
    keyBundle: session.keyBundle,
  });
}

/** A client with the saved session, keys still locked. */
export async function sessionClient(
  global: GlobalOptions,
): Promise<{ client: UmbraClient; config: CliConfig }> {
  const config = await readConfig();
  if (!config.token || !config.userId || !config.keyBundle || !config.email) {
    throw new CliError("UNAUTHORIZED", "Not logged in: run `umbra login --email EMAIL` first");
  }
  const client = newClient(serverUrlFrom(global, config));
  client.useSession({
    token: config.token,
    userId: config.userId,
    email: config.email,
    expiresAt: config.expiresAt ?? "",
    keyBundle: config.keyBundle,
  });
  return { client, config };
}

/** A client with the master key unwrapped from the password (asked for, never stored). */
export async function unlockedClient(
  global: GlobalOptions & { passwordStdin?: boolean },
): Promise<{ client: UmbraClient; config: CliConfig }> {
  const { client, config } = await sessionClient(global);
  const password = await readPassword({ passwordStdin: global.passwordStdin });
  await client.unlock(password);
  return { client, config };
}

/** A local file as an upload source, re-readable from disk for each pass. */
export function fileSource(file: LocalFile): UploadSource {
  return {
    name: file.name,
    size: file.size,
    lastModified: file.mtimeMs,
    mime: file.mime,
    localKey: `${file.path}\u0000${file.size}\u0000${Math.round(file.mtimeMs)}`,
    open: () =>
      Readable.toWeb(
        createReadStream(file.path, { highWaterMark: 1024 * 1024 }),
      ) as ReadableStream<Uint8Array>,
    // Hashed in a worker thread: the main thread encrypts and sends meanwhile.
    ...(fileDigests.available() && {
      digest: (dedupKey: Uint8Array) =>
        fileDigests.digest(file.path, dedupKey).catch((error: unknown) => {
          // An unreadable file fails as it would anyway; a worker that cannot run falls back to this thread.
          if (error instanceof FileDigestError) throw error;
          return contentDigest(dedupKey, createReadStream(file.path, { highWaterMark: 1024 * 1024 }));
        }),
    }),
  };
}
