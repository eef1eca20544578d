import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  commitFile,
  createDatabase,
  login,
  newId,
  type RunningServer,
  randomB64,
  removeTempDirs,
  signupAndLogin,
  startServer,
  storeFile,
  type TestUser,
  tempDir,
  uploadBytes,
} from "./harness.js";

interface Call {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Every authenticated route, with valid ids and bodies, so only authorization can refuse them. */
function authenticatedRoutes(ids: {
  fileId: string;
  albumId: string;
  otherAlbumId: string;
  sessionId: string;
  uploadId: string;
}): Call[] {
  const tus = { "tus-resumable": "1.0.0" };
  return [
    { method: "POST", path: "/api/auth/logout" },
    { method: "GET", path: "/api/account" },
    { method: "GET", path: "/api/account/keys" },
    { method: "POST", path: "/api/account/password/start", body: { registrationRequest: randomB64(32) } },
    {
      method: "POST",
      path: "/api/account/password/finish",
      body: {
        registrationRecord: randomB64(128),
        passwordWrappedMasterKey: randomB64(60),
        kdf: { algorithm: "PBKDF2-SHA256", iterations: 600000, salt: randomB64(32) },
      },
    },
    { method: "DELETE", path: "/api/account" },
    { method: "GET", path: "/api/sessions" },
    { method: "DELETE", path: `/api/sessions/${ids.sessionId}` },
    { method: "POST", path: "/api/sessions/revoke-others" },
    { method: "POST", path: "/api/uploads", headers: { ...tus, "upload-length": "10" } },
    { method: "HEAD", path: `/api/uploads/${ids.uploadId}`, headers: tus },
    {
      method: "PATCH",
      path: `/api/uploads/${ids.uploadId}`,
      headers: { ...tus, "upload-offset": "0", "content-type": "application/offset+octet-stream" },
    },
    { method: "DELETE", path: `/api/uploads/${ids.uploadId}`, headers: tus },
    {
      method: "POST",
      path: "/api/files",
      body: {
        id: newId("f"),
        uploadId: ids.uploadId,
        albumId: ids.albumId,
        wrappedFileKey: randomB64(60),
        encryptedMetadata: randomB64(60),
        thumbnails: { grid: randomB64(60), preview: randomB64(60) },
      },
    },
    { method: "GET", path: `/api/files/${ids.fileId}` },
    { method: "GET", path: `/api/files/${ids.fileId}/content` },
    { method: "GET", path: `/api/files/${ids.fileId}/thumbnails/grid` },
    { method: "GET", path: `/api/files/${ids.fileId}/thumbnails/preview` },
    { method: "PATCH", path: `/api/files/${ids.fileId}`, body: { encryptedMetadata: randomB64(60) } },
    { method: "POST", path: `/api/files/${ids.fileId}/trash` },
    { method: "POST", path: `/api/files/${ids.fileId}/restore` },
    { method: "DELETE", path: `/api/files/${ids.fileId}` },
    { method: "POST", path: "/api/trash/empty" },
    { method: "GET", path: "/api/albums" },
    {
      method: "POST",
      path: "/api/albums",
      body: { id: newId("a"), encryptedName: randomB64(20), wrappedAlbumKey: randomB64(60) },
    },
    { method: "PATCH", path: `/api/albums/${ids.otherAlbumId}`, body: { encryptedName: randomB64(20) } },
    { method: "DELETE", path: `/api/albums/${ids.otherAlbumId}` },
    {
      method: "PUT",
      path: `/api/albums/${ids.otherAlbumId}/files/${ids.fileId}`,
      body: { wrappedFileKey: randomB64(60) },
    },
    { method: "DELETE", path: `/api/albums/${ids.otherAlbumId}/files/${ids.fileId}` },
    { method: "GET", path: "/api/sync?since=0" },
  ];
}

async function call(base: string, token: string | null, c: Call) {
  const headers: Record<string, string> = { ...c.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (c.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + c.path, {
    method: c.method,
    headers,
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
  });
  return { status: res.status, text: await res.text() };
}

describe.each(backends)("authorization ($name)", (backend) => {
  let server: RunningServer;
  let shortLived: RunningServer;
  let base: string;
  let dropDb: () => Promise<void>;
  let owner: TestUser;
  let ids: { fileId: string; albumId: string; otherAlbumId: string; sessionId: string; uploadId: string };
  let ownerFileIdBytes: Buffer;

  beforeAll(async () => {
    const dataDir = await tempDir();
    const db = await createDatabase(backend, dataDir);
    dropDb = db.drop;
    server = await startServer({ dataDir, databaseUrl: db.url });
    // Same database and data, sessions that expire after a second: tokens for the "expired" column.
    shortLived = await startServer({
      dataDir,
      databaseUrl: db.url,
      env: { UMBRA_SESSION_TTL: "1", UMBRA_LOG_FILE: `${dataDir}/short.log` },
    });
    base = server.url;
    owner = await signupAndLogin(base);
    ownerFileIdBytes = randomBytes(500);
    const file = await storeFile(base, owner, ownerFileIdBytes);
    const albumId = newId("a");
    await api(base, "POST", "/api/albums", {
      token: owner.token,
      body: { id: albumId, encryptedName: randomB64(20), wrappedAlbumKey: randomB64(60) },
    });
    await api(base, "PUT", `/api/albums/${albumId}/files/${file.id}`, {
      token: owner.token,
      body: { wrappedFileKey: randomB64(60) },
    });
    const sessions = await api<{ sessions: { id: string }[] }>(base, "GET", "/api/sessions", {
      token: owner.token,
    });
    const created = await fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner.token}`, "tus-resumable": "1.0.0", "upload-length": "10" },
    });
    ids = {
      fileId: file.id,
      albumId: owner.libraryAlbumId,
      otherAlbumId: albumId,
      sessionId: sessions.body.sessions[0]!.id,
      uploadId: created.headers.get("location")!.split("/").pop()!,
    };
  });
  afterAll(async () => {
    await shortLived?.stop();
    await server?.stop();
    await dropDb?.();
    await removeTempDirs();
  });

  it("answers 404 for every route given another user's ids, and changes nothing", async () => {
    const intruder = await signupAndLogin(base);
    const routes = authenticatedRoutes(ids).filter(
      (r) =>
        r.path.includes(ids.fileId) ||
        r.path.includes(ids.otherAlbumId) ||
        r.path.includes(ids.sessionId) ||
        r.path.includes(ids.uploadId) ||
        (r.method === "POST" && r.path === "/api/files"),
    );
    expect(routes.length).toBeGreaterThanOrEqual(16);
    for (const route of routes) {
      const res = await call(base, intruder.token, route);
      expect(res.status, `${route.method} ${route.path}`).toBe(404);
    }
    // Mixed ownership: the intruder's own album with the owner's file, and the reverse.
    const mine = await storeFile(base, intruder, randomBytes(10));
    const crossed = [
      {
        method: "PUT",
        path: `/api/albums/${intruder.libraryAlbumId}/files/${ids.fileId}`,
        body: { wrappedFileKey: randomB64(60) },
      },
      {
        method: "PUT",
        path: `/api/albums/${ids.otherAlbumId}/files/${mine.id}`,
        body: { wrappedFileKey: randomB64(60) },
      },
      { method: "DELETE", path: `/api/albums/${intruder.libraryAlbumId}/files/${ids.fileId}` },
    ];
    for (const route of crossed)
      expect((await call(base, intruder.token, route)).status, route.path).toBe(404);
    // The owner still sees everything unchanged.
    const record = await api<{ trashedAt: null; albums: unknown[] }>(
      base,
      "GET",
      `/api/files/${ids.fileId}`,
      {
        token: owner.token,
      },
    );
    expect(record.status).toBe(200);
    expect(record.body.trashedAt).toBeNull();
    expect(record.body.albums).toHaveLength(2);
    const content = await fetch(`${base}/api/files/${ids.fileId}/content`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(Buffer.from(await content.arrayBuffer()).equals(ownerFileIdBytes)).toBe(true);
    expect((await api(base, "GET", "/api/sessions", { token: owner.token })).status).toBe(200);
    const head = await fetch(`${base}/api/uploads/${ids.uploadId}`, {
      method: "HEAD",
      headers: { authorization: `Bearer ${owner.token}`, "tus-resumable": "1.0.0" },
    });
    expect(head.status).toBe(200);
    const albums = await api<{ albums: unknown[] }>(base, "GET", "/api/albums", { token: owner.token });
    expect(albums.body.albums).toHaveLength(2);
  });

  it("answers 401 for every authenticated route without a token, with a bad, expired or revoked one", async () => {
    const expiring = await login(shortLived.url, owner.email, owner.password, "expiring");
    expect(expiring.status).toBe(200);
    const revokedLogin = await login(base, owner.email, owner.password, "revoked");
    const revokedToken = revokedLogin.body.token;
    const list = await api<{ sessions: { id: string; deviceName: string }[] }>(base, "GET", "/api/sessions", {
      token: revokedToken,
    });
    const revokedId = list.body.sessions.find((s) => s.deviceName === "revoked")!.id;
    expect((await api(base, "DELETE", `/api/sessions/${revokedId}`, { token: owner.token })).status).toBe(
      204,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const tokens: [string, string | null][] = [
      ["none", null],
      ["garbage", randomB64(32)],
      ["expired", expiring.body.token],
      ["revoked", revokedToken],
    ];
    const routes = authenticatedRoutes(ids);
    for (const [label, token] of tokens) {
      for (const route of routes) {
        const res = await call(base, token, route);
        expect(res.status, `${label}: ${route.method} ${route.path}`).toBe(401);
        if (route.method !== "HEAD")
          expect(JSON.parse(res.text)).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      }
    }
    // Nothing above touched the owner's data.
    expect((await api(base, "GET", `/api/files/${ids.fileId}`, { token: owner.token })).status).toBe(200);
  });

  it("refuses commit of another user's finished upload", async () => {
    const intruder = await signupAndLogin(base);
    const uploadId = await uploadBytes(base, owner.token, randomBytes(50));
    const res = await commitFile(base, intruder.token, uploadId, { albumId: intruder.libraryAlbumId });
    expect(res.status).toBe(404);
    const ok = await commitFile(base, owner.token, uploadId, { albumId: owner.libraryAlbumId });
    expect(ok.status).toBe(201);
  });
});
