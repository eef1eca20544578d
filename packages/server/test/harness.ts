// API helpers for server tests; the server process and databases live in server-process.ts.
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import * as opaque from "@serenity-kit/opaque";

export * from "./server-process.js";

/** Where FsBlobStore keeps a blob: blobs/ab/cd/<id>, ab and cd from SHA-256 of the id (PROTOCOL.md, "Storage"). */
export function blobFile(server: { dataDir: string }, blobId: string): string {
  const hash = createHash("sha256").update(blobId).digest("hex");
  return path.join(server.dataDir, "blobs", hash.slice(0, 2), hash.slice(2, 4), blobId);
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
