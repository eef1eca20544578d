import { randomBytes } from "node:crypto";
import { ERROR_CATALOGUE, type ErrorCode } from "@umbra/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { api, backends, newId, randomB64, storeFile, type TestUser } from "./harness.js";
import { signedInServerPerFile } from "./signed-in-server.js";

const QUOTA = 50_000;
const BODY_LIMIT = 100_000;
const MAX_PER_ACCOUNT = 2;

// Every answer carries a catalogue code, and its status is the catalogue's for that code.
describe.each(backends)("error codes ($name)", (backend) => {
  const server = signedInServerPerFile(backend, {
    UMBRA_QUOTA_BYTES: String(QUOTA),
    UMBRA_BODY_LIMIT: String(BODY_LIMIT),
    UMBRA_LOGIN_MAX_PER_ACCOUNT: String(MAX_PER_ACCOUNT),
  });
  let base: string;
  let user: TestUser;
  let fileId: string;
  beforeAll(async () => {
    base = server.base();
    user = server.user();
    fileId = (await storeFile(base, user, randomBytes(100))).id;
  });

  const json = (method: string, route: string, body?: unknown) =>
    api<{ error: { code: string } }>(base, method, route, { token: user.token, body });
  const raw = async (route: string, init: RequestInit) => {
    const res = await fetch(base + route, init);
    return { status: res.status, body: (await res.json()) as { error: { code: string } } };
  };
  const tusCreate = (headers: Record<string, string>) =>
    raw("/api/uploads", {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0", ...headers },
    });
  const fileLink = async (allowDownload: boolean) => {
    const id = `l_${randomBytes(16).toString("base64url")}`;
    const body = { id, kind: "file", targetId: fileId, wrappedKey: randomB64(60), keyVersion: 1 };
    const res = await json("POST", "/api/links", { ...body, kdf: null, expiresAt: null, allowDownload });
    expect(res.status).toBe(201);
    return id;
  };

  const provocations: [ErrorCode, () => Promise<{ status: number; body: { error: { code: string } } }>][] = [
    ["UNAUTHORIZED", () => api(base, "GET", "/api/account")],
    ["NOT_FOUND", () => json("GET", `/api/files/${newId("f")}`)],
    ["VALIDATION_FAILED", () => json("POST", "/api/albums", { id: "nope" })],
    [
      "MALFORMED_JSON",
      () =>
        raw("/api/albums", {
          method: "POST",
          headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
          body: "{",
        }),
    ],
    [
      "UNSUPPORTED_MEDIA_TYPE",
      () =>
        raw("/api/albums", {
          method: "POST",
          headers: { authorization: `Bearer ${user.token}`, "content-type": "text/plain" },
          body: "album",
        }),
    ],
    ["PAYLOAD_TOO_LARGE", () => json("POST", "/api/albums", { padding: "x".repeat(BODY_LIMIT) })],
    ["LENGTH_REQUIRED", () => tusCreate({})],
    ["QUOTA_EXCEEDED", () => tusCreate({ "upload-length": String(QUOTA + 1) })],
    [
      "UPLOAD_INCOMPLETE",
      async () => {
        const created = await fetch(`${base}/api/uploads`, {
          method: "POST",
          headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0", "upload-length": "10" },
        });
        const uploadId = created.headers.get("location")!.split("/").pop()!;
        return json("POST", "/api/files", {
          id: newId("f"),
          uploadId,
          albumId: user.libraryAlbumId,
          wrappedFileKey: randomB64(60),
          encryptedMetadata: randomB64(120),
          thumbnails: { grid: randomB64(30), preview: randomB64(30) },
        });
      },
    ],
    [
      "DUPLICATE_ID",
      () =>
        json("POST", "/api/albums", {
          id: user.libraryAlbumId,
          encryptedName: randomB64(40),
          wrappedAlbumKey: randomB64(60),
        }),
    ],
    ["LIBRARY_ALBUM", () => json("DELETE", `/api/albums/${user.libraryAlbumId}`)],
    ["NOT_IN_TRASH", () => json("DELETE", `/api/files/${fileId}`)],
    [
      "KEY_VERSION_CHANGED",
      () =>
        json("PUT", `/api/albums/${user.libraryAlbumId}/wrapped-key`, {
          wrappedAlbumKey: randomB64(60),
          keyVersion: 7,
        }),
    ],
    [
      "CHECKPOINT_CONFLICT",
      () => json("PUT", "/api/library/checkpoint", { counter: 5, checkpoint: randomB64(40) }),
    ],
    [
      "RANGE_NOT_SATISFIABLE",
      () =>
        raw(`/api/files/${fileId}/content`, {
          headers: { authorization: `Bearer ${user.token}`, range: "bytes=5000-" },
        }),
    ],
    [
      "FORBIDDEN",
      async () => api(base, "GET", `/api/public/links/${await fileLink(false)}/files/${fileId}/content`),
    ],
    [
      "GONE",
      async () => {
        const id = await fileLink(true);
        expect((await json("DELETE", `/api/links/${id}`)).status).toBe(204);
        return api(base, "GET", `/api/public/links/${id}`);
      },
    ],
    [
      "BAD_OPAQUE_MESSAGE",
      () =>
        api(base, "POST", "/api/auth/login/start", {
          body: { email: "x@example.org", startLoginRequest: randomB64(96) },
        }),
    ],
    [
      "RATE_LIMITED",
      async () => {
        const attempt = () =>
          api<{ error: { code: string } }>(base, "POST", "/api/auth/login/start", {
            body: { email: "limited@example.org", startLoginRequest: randomB64(96) },
          });
        for (let i = 0; i < MAX_PER_ACCOUNT; i++) expect((await attempt()).status).not.toBe(429);
        return attempt();
      },
    ],
  ];

  it.each(provocations)("%s is answered with the catalogue's status", async (code, provoke) => {
    const res = await provoke();
    expect(res.body.error.code).toBe(code);
    expect(res.status).toBe(ERROR_CATALOGUE[code].status);
  });
});
