import { createHash } from "node:crypto";
import { readFile, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { UmbraClient, type UmbraClientOptions } from "../../src/client.js";
import { MemoryStore } from "../../src/store.js";
import { startServer } from "../server-process.js";
import { type LyingProxy, startLyingProxy } from "./lying-proxy.js";

export { collect, hooks, photo } from "../upload-fixtures.js";

/**
 * The real server behind a lying proxy: every client here talks to the proxy, so a test can rewrite any answer
 * (`proxy.lie`) or edit the server's database rows (`sql`) and blob files (`blobPath`) directly.
 */
export interface MaliciousServer {
  /** The real server's own address (for setting things up truthfully). */
  realUrl: string;
  dataDir: string;
  proxy: LyingProxy;
  /** A signed-up, logged-in account talking through the proxy; its local store survives `relogin`. */
  account(email: string): Promise<Account>;
  /** Runs SQL against the server's SQLite database. */
  sql<T = unknown>(query: string, ...params: unknown[]): T[];
  /** A stored blob file of a file: its content (default) or one of its thumbnails. */
  blobPath(fileId: string, kind?: BlobKind): Promise<string>;
  /**
   * Gives file or album rows a new sequence number, as the server does on every change, so the owner's next
   * sync sends them again (after a test edited them with `sql`).
   */
  touch(...ids: string[]): void;
  stop(): Promise<void>;
}

export type BlobKind = "content" | "grid" | "preview";

export interface Account {
  email: string;
  password: string;
  client: UmbraClient;
  userId: string;
  store: MemoryStore;
  /** A second device of the same user: a new client with its own (empty) local store. */
  newDevice(options?: Partial<UmbraClientOptions>): Promise<UmbraClient>;
}

export async function startMaliciousServer(env: Record<string, string> = {}): Promise<MaliciousServer> {
  const server = await startServer(env);
  const proxy = await startLyingProxy(server.url);
  const database = new Database(join(server.dataDir, "umbra.sqlite"));
  database.pragma("busy_timeout = 5000");
  return {
    realUrl: server.url,
    dataDir: server.dataDir,
    proxy,
    async account(email) {
      const password = `${email} correct horse`;
      const store = new MemoryStore();
      const client = new UmbraClient({ serverUrl: proxy.url, storeFor: () => store });
      await client.signup(email, password);
      return {
        email,
        password,
        client,
        userId: client.session!.userId,
        store,
        async newDevice(options: Partial<UmbraClientOptions> = {}) {
          const other = new UmbraClient({ serverUrl: proxy.url, ...options });
          await other.login(email, password);
          return other;
        },
      };
    },
    sql<T>(query: string, ...params: unknown[]): T[] {
      const statement = database.prepare(query);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    touch(...ids) {
      for (const id of ids) {
        const table = id.startsWith("f_") ? "files" : id.startsWith("a_") ? "albums" : undefined;
        if (!table) throw new Error(`touch: ${id} is neither a file nor an album id`);
        const row = database.prepare(`select user_id from ${table} where id = ?`).get(id) as
          | { user_id: string }
          | undefined;
        if (!row) throw new Error(`touch: no ${table} row ${id}`);
        database.transaction(() => {
          database.prepare("update users set seq = seq + 1 where id = ?").run(row.user_id);
          database
            .prepare(`update ${table} set seq = (select seq from users where id = ?) where id = ?`)
            .run(row.user_id, id);
        })();
      }
    },
    async blobPath(fileId, kind = "content") {
      const row = database.prepare("select blob_key from files where id = ?").get(fileId) as
        | { blob_key: string }
        | undefined;
      if (!row) throw new Error(`no file ${fileId}`);
      // The server's layout (FsBlobStore): blobs/ab/cd/<id>, ab and cd from SHA-256 of the blob id.
      const id = `${row.blob_key}.${kind}`;
      const hash = createHash("sha256").update(id).digest("hex");
      return join(server.dataDir, "blobs", hash.slice(0, 2), hash.slice(2, 4), id);
    },
    async stop() {
      database.close();
      await proxy.stop();
      await server.stop();
    },
  };
}

/**
 * Reads a stream to its end or its first error: the bytes released before the error, and the error. A refusal
 * test checks both (the released bytes must be a prefix of the truth: nothing unauthenticated comes out).
 */
export async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: Buffer; error: unknown }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks), error: undefined };
      chunks.push(value);
    }
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

/** The header `taggedFetch` adds to every request. */
export const CLIENT_TAG_HEADER = "x-umbra-test-client";

/**
 * A fetch that marks every request with `tag`, so a test can pick one client's requests out of `proxy.seen`
 * (other clients may still be busy in the background).
 */
export function taggedFetch(tag: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set(CLIENT_TAG_HEADER, tag);
    return fetch(input, { ...init, headers });
  };
}

/** The requests of the client made with `taggedFetch(tag)`, oldest first. */
export function sentBy(proxy: LyingProxy, tag: string) {
  return proxy.seen.filter((request) => request.headers[CLIENT_TAG_HEADER] === tag);
}

/** Cuts a file's stored blob short (the server's disk lying about a file's length). */
export async function truncateBlob(path: string, by: number): Promise<void> {
  const { size } = await stat(path);
  await truncate(path, size - by);
}

export { readFile, writeFile };
