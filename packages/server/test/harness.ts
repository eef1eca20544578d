import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as opaque from "@serenity-kit/opaque";
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

/** Unpadded base64url of n random bytes: what the client sends as ciphertext or wrapped keys. */
export const randomB64 = (bytes = 32): string => randomBytes(bytes).toString("base64url");
export const newId = (prefix: "u" | "a" | "f"): string =>
  `${prefix}_${randomBytes(16).toString("base64url")}`;

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** JSON request helper; `token` adds the bearer header. */
export async function api<T = unknown>(
  base: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(base + route, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** Client-side only (the server never sees it): cheap Argon2 so the suite spends its time on the server. */
export const keyStretching = { "argon2id-custom": { iterations: 1, memory: 1024, parallelism: 1 } } as const;

export interface TestUser {
  email: string;
  password: string;
  userId: string;
  libraryAlbumId: string;
  token: string;
  recoveryAuthKey: string;
  keyBundle: Record<string, unknown>;
}

export function fakeKeyBundle(userId: string) {
  return {
    version: 1,
    userId,
    kdf: { algorithm: "PBKDF2-SHA256", iterations: 600_000, salt: randomB64(32) },
    passwordWrappedMasterKey: randomB64(60),
    recoveryWrappedMasterKey: randomB64(60),
    publicKeys: null,
    wrappedPrivateKeys: null,
  };
}

/** Full OPAQUE sign-up as a client would do it (random ciphertext stands in for the wrapped keys). */
export async function signup(
  base: string,
  email: string,
  password: string,
): Promise<Omit<TestUser, "token">> {
  await opaque.ready;
  const userId = newId("u");
  const libraryAlbumId = newId("a");
  const start = opaque.client.startRegistration({ password });
  const res = await api<{ registrationResponse: string }>(base, "POST", "/api/auth/signup/start", {
    body: { email, registrationRequest: start.registrationRequest },
  });
  if (res.status !== 200) throw new Error(`signup/start ${res.status} ${JSON.stringify(res.body)}`);
  const finish = opaque.client.finishRegistration({
    password,
    registrationResponse: res.body.registrationResponse,
    clientRegistrationState: start.clientRegistrationState,
    keyStretching,
  });
  const recoveryAuthKey = randomB64(32);
  const keyBundle = fakeKeyBundle(userId);
  const done = await api(base, "POST", "/api/auth/signup/finish", {
    body: {
      email,
      registrationRecord: finish.registrationRecord,
      keyBundle,
      recoveryVerifier: (await import("node:crypto"))
        .createHash("sha256")
        .update(Buffer.from(recoveryAuthKey, "base64url"))
        .digest("base64url"),
      libraryAlbum: { id: libraryAlbumId, encryptedName: randomB64(40), wrappedAlbumKey: randomB64(60) },
    },
  });
  if (done.status !== 201) throw new Error(`signup/finish ${done.status} ${JSON.stringify(done.body)}`);
  return { email, password, userId, libraryAlbumId, recoveryAuthKey, keyBundle };
}

/** OPAQUE login; answers the raw finish response (or the failing step's response). */
export async function login(
  base: string,
  email: string,
  password: string,
  deviceName = "test device",
): Promise<ApiResponse<{ token: string; userId: string; expiresAt: string; keyBundle: unknown }>> {
  await opaque.ready;
  const start = opaque.client.startLogin({ password });
  const res = await api<{ loginId: string; loginResponse: string }>(base, "POST", "/api/auth/login/start", {
    body: { email, startLoginRequest: start.startLoginRequest },
  });
  if (res.status !== 200) return res as never;
  const finish = opaque.client.finishLogin({
    clientLoginState: start.clientLoginState,
    loginResponse: res.body.loginResponse,
    password,
    keyStretching,
  });
  // A wrong password fails on the client; the server must still refuse a garbage finish message.
  const finishLoginRequest = finish?.finishLoginRequest ?? randomB64(64);
  return api(base, "POST", "/api/auth/login/finish", {
    body: { loginId: res.body.loginId, finishLoginRequest, deviceName },
  });
}

export async function signupAndLogin(
  base: string,
  email?: string,
  password = "correct horse battery",
): Promise<TestUser> {
  const address = email ?? `user-${randomBytes(4).toString("hex")}@example.test`;
  const user = await signup(base, address, password);
  const res = await login(base, address, password);
  if (res.status !== 200) throw new Error(`login ${res.status} ${JSON.stringify(res.body)}`);
  return { ...user, token: res.body.token };
}

/** Creates a tus upload with tus-js-client semantics but via plain fetch (single PATCH). */
export async function uploadBytes(base: string, token: string, bytes: Uint8Array): Promise<string> {
  const created = await fetch(`${base}/api/uploads`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "tus-resumable": "1.0.0",
      "upload-length": String(bytes.length),
    },
  });
  if (created.status !== 201) throw new Error(`upload create ${created.status} ${await created.text()}`);
  const location = created.headers.get("location")!;
  const uploadId = location.split("/").pop()!;
  if (bytes.length > 0) {
    const patched = await fetch(base + location, {
      method: "PATCH",
      headers: {
        authorization: `Bearer ${token}`,
        "tus-resumable": "1.0.0",
        "upload-offset": "0",
        "content-type": "application/offset+octet-stream",
      },
      body: new Uint8Array(bytes),
    });
    if (patched.status !== 204) throw new Error(`upload patch ${patched.status} ${await patched.text()}`);
  }
  return uploadId;
}

export interface CommitOptions {
  albumId: string;
  fileId?: string;
  grid?: Uint8Array;
  preview?: Uint8Array;
  encryptedMetadata?: string;
}

export async function commitFile(base: string, token: string, uploadId: string, options: CommitOptions) {
  return api<Record<string, unknown>>(base, "POST", "/api/files", {
    token,
    body: {
      id: options.fileId ?? newId("f"),
      uploadId,
      albumId: options.albumId,
      wrappedFileKey: randomB64(60),
      encryptedMetadata: options.encryptedMetadata ?? randomB64(120),
      thumbnails: {
        grid: Buffer.from(options.grid ?? randomBytes(300)).toString("base64url"),
        preview: Buffer.from(options.preview ?? randomBytes(900)).toString("base64url"),
      },
    },
  });
}

/** Upload + commit in one go; returns the FileRecord body. */
export async function storeFile(
  base: string,
  user: TestUser,
  bytes: Uint8Array,
  albumId = user.libraryAlbumId,
) {
  const uploadId = await uploadBytes(base, user.token, bytes);
  const res = await commitFile(base, user.token, uploadId, { albumId });
  if (res.status !== 201) throw new Error(`commit ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; contentSize: number; seq: number };
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
