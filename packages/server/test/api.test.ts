import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  commitFile,
  keyStretching,
  listFiles,
  login,
  newId,
  randomB64,
  serverPerFile,
  signupAndLogin,
  storeFile,
  type TestUser,
  uploadBytes,
} from "./harness.js";
import { tusUpload } from "./tus-client.js";

describe.each(backends)("HTTP API ($name)", (backend) => {
  const running = serverPerFile(backend);
  let base: string;
  beforeAll(() => {
    base = running.server().url;
  });

  describe("accounts and sessions", () => {
    it("signs up, logs in and answers the account and its key bundle", async () => {
      const user = await signupAndLogin(base);
      const account = await api<Record<string, unknown>>(base, "GET", "/api/account", { token: user.token });
      expect(account.status).toBe(200);
      expect(account.body).toMatchObject({ userId: user.userId, email: user.email, usedBytes: 0 });
      expect(typeof account.body.quotaBytes).toBe("number");
      const keys = await api(base, "GET", "/api/account/keys", { token: user.token });
      expect(keys.body).toEqual(user.keyBundle);
      const albums = await api<{ albums: { id: string; kind: string }[] }>(base, "GET", "/api/albums", {
        token: user.token,
      });
      expect(albums.body.albums).toEqual([
        expect.objectContaining({ id: user.libraryAlbumId, kind: "library" }),
      ]);
    });

    it("refuses a duplicate email with 409 and a wrong password with 401", async () => {
      const user = await signupAndLogin(base);
      const again = await signupAndLogin(base, user.email).catch((error: Error) => error.message);
      expect(again).toMatch(/signup\/finish 409/);
      const wrong = await login(base, user.email, "not the password");
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
    });

    it("answers an unknown email exactly like a wrong password", async () => {
      const unknown = await login(base, "nobody-here@example.test", "whatever password");
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
      const start = await api<Record<string, string>>(base, "POST", "/api/auth/login/start", {
        body: { email: "nobody-else@example.test", startLoginRequest: randomB64(96) },
      });
      // A malformed OPAQUE message is refused, but never with "unknown email".
      expect(start.status).toBe(400);
    });

    it("lists, revokes and logs out sessions", async () => {
      const user = await signupAndLogin(base);
      const second = await login(base, user.email, user.password, "second device");
      const third = await login(base, user.email, user.password, "third device");
      const list = await api<{ sessions: { id: string; deviceName: string; current: boolean }[] }>(
        base,
        "GET",
        "/api/sessions",
        { token: user.token },
      );
      expect(list.body.sessions.map((s) => s.deviceName)).toEqual([
        "test device",
        "second device",
        "third device",
      ]);
      expect(list.body.sessions.filter((s) => s.current)).toHaveLength(1);
      const secondId = list.body.sessions[1]!.id;
      expect((await api(base, "DELETE", `/api/sessions/${secondId}`, { token: user.token })).status).toBe(
        204,
      );
      expect((await api(base, "GET", "/api/account", { token: second.body.token })).status).toBe(401);
      const others = await api(base, "POST", "/api/sessions/revoke-others", { token: user.token });
      expect(others.body).toEqual({ revoked: 1 });
      expect((await api(base, "GET", "/api/account", { token: third.body.token })).status).toBe(401);
      expect((await api(base, "POST", "/api/auth/logout", { token: user.token })).status).toBe(204);
      expect((await api(base, "GET", "/api/account", { token: user.token })).status).toBe(401);
    });

    it("changes the password atomically (old one stops working, new bundle served)", async () => {
      const { client, ready } = await import("@serenity-kit/opaque");
      await ready;
      const user = await signupAndLogin(base);
      const start = client.startRegistration({ password: "new password 42" });
      const res = await api<{ registrationResponse: string }>(base, "POST", "/api/account/password/start", {
        token: user.token,
        body: { registrationRequest: start.registrationRequest },
      });
      expect(res.status).toBe(200);
      const finish = client.finishRegistration({
        password: "new password 42",
        registrationResponse: res.body.registrationResponse,
        clientRegistrationState: start.clientRegistrationState,
        keyStretching,
      });
      const kdf = { algorithm: "PBKDF2-SHA256", iterations: 600_000, salt: randomB64(32) };
      const wrapped = randomB64(60);
      const done = await api(base, "POST", "/api/account/password/finish", {
        token: user.token,
        body: { registrationRecord: finish.registrationRecord, passwordWrappedMasterKey: wrapped, kdf },
      });
      expect(done.status).toBe(204);
      expect((await login(base, user.email, user.password)).status).toBe(401);
      const fresh = await login(base, user.email, "new password 42");
      expect(fresh.status).toBe(200);
      expect(fresh.body.keyBundle).toMatchObject({ passwordWrappedMasterKey: wrapped, kdf });
    });

    it("recovers an account with the recovery auth key and revokes every session", async () => {
      const { client, ready } = await import("@serenity-kit/opaque");
      await ready;
      const user = await signupAndLogin(base);
      const start = client.startRegistration({ password: "recovered password" });
      const bad = await api(base, "POST", "/api/auth/recover/start", {
        body: {
          email: user.email,
          recoveryAuthKey: randomB64(32),
          registrationRequest: start.registrationRequest,
        },
      });
      expect(bad.status).toBe(401);
      const res = await api<Record<string, string>>(base, "POST", "/api/auth/recover/start", {
        body: {
          email: user.email,
          recoveryAuthKey: user.recoveryAuthKey,
          registrationRequest: start.registrationRequest,
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.userId).toBe(user.userId);
      expect(res.body.recoveryWrappedMasterKey).toBe(user.keyBundle.recoveryWrappedMasterKey);
      const finish = client.finishRegistration({
        password: "recovered password",
        registrationResponse: res.body.registrationResponse!,
        clientRegistrationState: start.clientRegistrationState,
        keyStretching,
      });
      const kdf = { algorithm: "PBKDF2-SHA256", iterations: 600_000, salt: randomB64(32) };
      const done = await api(base, "POST", "/api/auth/recover/finish", {
        body: {
          recoveryId: res.body.recoveryId,
          registrationRecord: finish.registrationRecord,
          passwordWrappedMasterKey: randomB64(60),
          kdf,
        },
      });
      expect(done.status).toBe(204);
      expect((await api(base, "GET", "/api/account", { token: user.token })).status).toBe(401);
      expect((await login(base, user.email, "recovered password")).status).toBe(200);
      // The recovery id is single use.
      const replay = await api(base, "POST", "/api/auth/recover/finish", {
        body: {
          recoveryId: res.body.recoveryId,
          registrationRecord: finish.registrationRecord,
          passwordWrappedMasterKey: randomB64(60),
          kdf,
        },
      });
      expect(replay.status).toBe(401);
    });
  });

  describe("files", () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await signupAndLogin(base);
    });

    it("uploads with tus-js-client in chunks, commits and downloads the same bytes", async () => {
      const bytes = randomBytes(300_000);
      const uploadId = await tusUpload(base, user.token, bytes, { chunkSize: 64 * 1024 });
      const grid = randomBytes(500);
      const preview = randomBytes(2000);
      const fileId = newId("f");
      const committed = await commitFile(base, user.token, uploadId, {
        albumId: user.libraryAlbumId,
        fileId,
        grid,
        preview,
      });
      expect(committed.status).toBe(201);
      expect(committed.body).toMatchObject({
        id: fileId,
        contentSize: bytes.length,
        thumbnails: { grid: 500, preview: 2000 },
        trashedAt: null,
      });
      const content = await fetch(`${base}/api/files/${fileId}/content`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      expect(content.status).toBe(200);
      expect(content.headers.get("cache-control")).toContain("immutable");
      expect(content.headers.get("cache-control")).toContain("private");
      expect(content.headers.get("etag")).toMatch(/^"[^W]/);
      expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
      const thumb = await fetch(`${base}/api/files/${fileId}/thumbnails/preview`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      expect(Buffer.from(await thumb.arrayBuffer()).equals(preview)).toBe(true);
      const gridRes = await fetch(`${base}/api/files/${fileId}/thumbnails/grid`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      expect(Buffer.from(await gridRes.arrayBuffer()).equals(grid)).toBe(true);
      const again = await commitFile(base, user.token, uploadId, { albumId: user.libraryAlbumId });
      expect(again.status).toBe(404);
      const account = await api<{ usedBytes: number }>(base, "GET", "/api/account", { token: user.token });
      expect(account.body.usedBytes).toBeGreaterThanOrEqual(bytes.length + 2500);
    });

    it("answers byte ranges: 206 for single ranges, 416 past the end, 304 on a matching ETag", async () => {
      const bytes = randomBytes(1000);
      const file = await storeFile(base, user, bytes);
      const get = (range?: string, extra: Record<string, string> = {}) =>
        fetch(`${base}/api/files/${file.id}/content`, {
          headers: { authorization: `Bearer ${user.token}`, ...(range ? { range } : {}), ...extra },
        });
      const cases: [string, number, number][] = [
        ["bytes=0-99", 0, 99],
        ["bytes=900-", 900, 999],
        ["bytes=-10", 990, 999],
        ["bytes=990-5000", 990, 999],
        ["bytes=0-0", 0, 0],
        ["bytes=999-999", 999, 999],
      ];
      for (const [range, start, end] of cases) {
        const res = await get(range);
        expect(res.status, range).toBe(206);
        expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/1000`);
        expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true);
      }
      for (const range of ["bytes=1000-", "bytes=5000-6000", "bytes=-0"]) {
        const res = await get(range);
        expect(res.status, range).toBe(416);
        expect(res.headers.get("content-range")).toBe("bytes */1000");
        expect(await res.json()).toMatchObject({ error: { code: "RANGE_NOT_SATISFIABLE" } });
      }
      // Multiple or malformed ranges may be ignored: the whole body.
      for (const range of ["bytes=0-1,5-6", "items=0-5", "bytes=10-5"]) {
        const res = await get(range);
        expect(res.status, range).toBe(200);
        expect((await res.arrayBuffer()).byteLength).toBe(1000);
      }
      const etag = (await get()).headers.get("etag")!;
      expect((await get(undefined, { "if-none-match": etag })).status).toBe(304);
    });

    it("refuses to commit an unfinished upload or into another user's album", async () => {
      const created = await fetch(`${base}/api/uploads`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0", "upload-length": "100" },
      });
      expect(created.status).toBe(201);
      const uploadId = created.headers.get("location")!.split("/").pop()!;
      const res = await commitFile(base, user.token, uploadId, { albumId: user.libraryAlbumId });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: { code: "UPLOAD_INCOMPLETE" } });
      const del = await fetch(`${base}/api/uploads/${uploadId}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0" },
      });
      expect(del.status).toBe(204);
      const other = await signupAndLogin(base);
      const done = await uploadBytes(base, user.token, randomBytes(10));
      const foreign = await commitFile(base, user.token, done, { albumId: other.libraryAlbumId });
      expect(foreign.status).toBe(404);
    });

    it("trashes, restores, renames, deletes and empties the trash", async () => {
      const a = await storeFile(base, user, randomBytes(100));
      const b = await storeFile(base, user, randomBytes(100));
      const metadata = randomB64(80);
      const renamed = await api<{ encryptedMetadata: string; seq: number }>(
        base,
        "PATCH",
        `/api/files/${a.id}`,
        {
          token: user.token,
          body: { encryptedMetadata: metadata },
        },
      );
      expect(renamed.body.encryptedMetadata).toBe(metadata);
      expect(renamed.body.seq).toBeGreaterThan(a.seq);
      expect((await api(base, "DELETE", `/api/files/${a.id}`, { token: user.token })).status).toBe(409);
      const trashed = await api<{ trashedAt: string | null }>(base, "POST", `/api/files/${a.id}/trash`, {
        token: user.token,
      });
      expect(trashed.body.trashedAt).toEqual(expect.any(String));
      const restored = await api<{ trashedAt: string | null }>(base, "POST", `/api/files/${a.id}/restore`, {
        token: user.token,
      });
      expect(restored.body.trashedAt).toBeNull();
      await api(base, "POST", `/api/files/${a.id}/trash`, { token: user.token });
      expect((await api(base, "DELETE", `/api/files/${a.id}`, { token: user.token })).status).toBe(204);
      expect((await api(base, "GET", `/api/files/${a.id}`, { token: user.token })).status).toBe(404);
      await api(base, "POST", `/api/files/${b.id}/trash`, { token: user.token });
      const emptied = await api(base, "POST", "/api/trash/empty", { token: user.token });
      expect(emptied.body).toEqual({ deleted: 1 });
      expect((await api(base, "GET", `/api/files/${b.id}/content`, { token: user.token })).status).toBe(404);
    });
  });

  it("deletes an account with every row and blob", async () => {
    const user = await signupAndLogin(base);
    const uploadId = await uploadBytes(base, user.token, randomBytes(4000));
    const committed = await commitFile(base, user.token, uploadId, { albumId: user.libraryAlbumId });
    expect(committed.status).toBe(201);
    const pending = await fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0", "upload-length": "100" },
    });
    expect(pending.status).toBe(201);
    const pendingId = pending.headers.get("location")!.split("/").pop()!;
    const names = async (dir: string) =>
      (await listFiles(`${running.server().dataDir}/${dir}`)).map((f) => f.split("/").pop()!);
    expect((await names("blobs")).filter((n) => n.startsWith(uploadId))).toHaveLength(3);
    expect((await names("uploads")).some((n) => n.startsWith(pendingId))).toBe(true);
    const other = await signupAndLogin(base);
    const otherFile = await storeFile(base, other, randomBytes(100));

    expect((await api(base, "DELETE", "/api/account", { token: user.token })).status).toBe(204);
    expect((await login(base, user.email, user.password)).status).toBe(401);
    expect((await names("blobs")).filter((n) => n.startsWith(uploadId))).toEqual([]);
    expect((await names("uploads")).some((n) => n.startsWith(pendingId))).toBe(false);
    // The email is free again, and other users are untouched.
    await signupAndLogin(base, user.email);
    expect((await api(base, "GET", `/api/files/${otherFile.id}`, { token: other.token })).status).toBe(200);
  });
});
