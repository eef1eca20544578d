import { randomBytes } from "node:crypto";
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  createDatabase,
  newId,
  type RunningServer,
  randomB64,
  removeTempDirs,
  signupAndLogin,
  startServer,
  type TestUser,
  tempDir,
} from "./harness.js";

// Live uploads (docs/PROTOCOL.md, "Live uploads"): a real server on each backend, restarted once (SIGKILL).

const QUOTA = 200_000;

const startBody = (user: TestUser, id = newId("f")) => ({
  id,
  albumId: user.libraryAlbumId,
  wrappedFileKey: randomB64(60),
  encryptedMetadata: randomB64(120),
});
const finishBody = (contentSize: number) => ({
  contentSize,
  encryptedMetadata: randomB64(150),
  thumbnails: { grid: randomB64(300), preview: randomB64(900) },
});

/** A response read whole: a body left unread keeps (and may later reset) its connection. */
async function readWhole(response: Promise<Response>) {
  const answer = await response;
  const bytes = Buffer.from(await answer.arrayBuffer());
  return { status: answer.status, headers: answer.headers, bytes, json: () => JSON.parse(bytes.toString()) };
}

function append(base: string, token: string, fileId: string, offset: number, bytes: Uint8Array) {
  return readWhole(
    fetch(`${base}/api/live/${fileId}/append`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/octet-stream",
        "umbra-offset": String(offset),
      },
      body: new Uint8Array(bytes),
    }),
  );
}

/** Sends the head of a body that announces more, then cuts the connection: a request that never completes. */
function cutAppend(
  base: string,
  token: string,
  fileId: string,
  offset: number,
  announced: number,
  sent: Buffer,
) {
  return new Promise<void>((resolve) => {
    const url = new URL(`${base}/api/live/${fileId}/append`);
    const request = http.request(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/octet-stream",
        "umbra-offset": String(offset),
        "content-length": String(announced),
      },
    });
    request.on("error", () => resolve());
    request.on("response", (response) => {
      response.resume();
      resolve();
    });
    request.write(sent, () => {
      // Written to the socket: cut it as a lost network would.
      request.destroy();
      resolve();
    });
  });
}

const content = (base: string, token: string, fileId: string, range?: string) =>
  readWhole(
    fetch(`${base}/api/files/${fileId}/content`, {
      headers: { authorization: `Bearer ${token}`, ...(range && { range }) },
    }),
  );

describe.each(backends)("live uploads ($name)", (backend) => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let dataDir: string;
  let databaseUrl: string;
  afterAll(async () => {
    await server?.stop();
    await drop?.();
    await removeTempDirs();
  });

  it("start, append, read while live, survive a cut request and a crash, finish", async () => {
    dataDir = await tempDir();
    const database = await createDatabase(backend, dataDir);
    drop = database.drop;
    databaseUrl = database.url;
    server = await startServer({ dataDir, databaseUrl, env: { UMBRA_QUOTA_BYTES: String(QUOTA) } });
    let base = server.url;
    const user = await signupAndLogin(base);
    const body = startBody(user);
    const fileId = body.id;

    const started = await api<Record<string, unknown>>(base, "POST", "/api/live", {
      token: user.token,
      body,
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ id: fileId, live: true, contentSize: 0 });
    // In the owner's sync feed at once, and in the list of live files.
    const sync = await api<{ files: { id: string; live?: boolean }[] }>(base, "GET", "/api/sync", {
      token: user.token,
    });
    expect(sync.body.files.find((f) => f.id === fileId)?.live).toBe(true);

    const first = randomBytes(1000);
    const appended = await append(base, user.token, fileId, 0, first);
    expect(appended.status).toBe(200);
    expect(await appended.json()).toEqual({ length: 1000 });
    // A wrong offset says what the server holds.
    const wrong = await append(base, user.token, fileId, 500, randomBytes(10));
    expect(wrong.status).toBe(409);
    expect(wrong.headers.get("umbra-offset")).toBe("1000");
    expect(await wrong.json()).toMatchObject({ error: { code: "OFFSET_MISMATCH" } });

    // Reading while live: the whole, a range (total unknown), nothing past the end yet.
    const whole = await content(base, user.token, fileId);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("umbra-live-length")).toBe("1000");
    expect(whole.headers.get("cache-control")).toBe("no-store");
    expect(whole.bytes.equals(first)).toBe(true);
    const head = await fetch(`${base}/api/files/${fileId}/content`, {
      method: "HEAD",
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get("umbra-live-length")).toBe("1000");
    const part = await content(base, user.token, fileId, "bytes=990-");
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 990-999/*");
    expect(part.bytes.equals(first.subarray(990))).toBe(true);
    const ahead = await content(base, user.token, fileId, "bytes=1000-");
    expect(ahead.status).toBe(416);
    expect(ahead.headers.get("umbra-live-length")).toBe("1000");

    // A request cut mid-body leaves the length unchanged; the next append overwrites its bytes.
    await cutAppend(base, user.token, fileId, 1000, 5000, randomBytes(3000));
    const listed = async () =>
      (
        await api<{ files: { id: string; length: number }[] }>(base, "GET", "/api/live", {
          token: user.token,
        })
      ).body.files;
    await expect.poll(async () => (await listed()).find((f) => f.id === fileId)?.length).toBe(1000);
    const second = randomBytes(2000);
    expect((await append(base, user.token, fileId, 1000, second)).status).toBe(200);

    // Quota per append: refused, nothing counted.
    const tooMuch = await append(base, user.token, fileId, 3000, randomBytes(QUOTA));
    expect(tooMuch.status).toBe(507);
    expect((await listed()).find((f) => f.id === fileId)?.length).toBe(3000);

    // A crash and a restart (the sweeper runs at start): the idle live file and its bytes are kept.
    await server.kill();
    server = await startServer({ dataDir, databaseUrl, env: { UMBRA_QUOTA_BYTES: String(QUOTA) } });
    base = server.url;
    const afterRestart = await content(base, user.token, fileId);
    expect(afterRestart.headers.get("umbra-live-length")).toBe("3000");
    expect(afterRestart.bytes.equals(Buffer.concat([first, second]))).toBe(true);

    // Finishing: only at the appended length; then a normal, immutable file with a new seq.
    const short = await api(base, "POST", `/api/live/${fileId}/finish`, {
      token: user.token,
      body: finishBody(2999),
    });
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({ error: { code: "OFFSET_MISMATCH" } });
    const finished = await api<Record<string, unknown>>(base, "POST", `/api/live/${fileId}/finish`, {
      token: user.token,
      body: finishBody(3000),
    });
    expect(finished.status).toBe(200);
    expect(finished.body.live).toBeUndefined();
    expect(finished.body.contentSize).toBe(3000);
    expect(Number(finished.body.seq)).toBeGreaterThan(Number(started.body.seq));
    const done = await content(base, user.token, fileId);
    expect(done.headers.get("umbra-live-length")).toBeNull();
    expect(done.headers.get("etag")).toBeTruthy();
    expect(done.bytes.equals(Buffer.concat([first, second]))).toBe(true);
    expect((await listed()).find((f) => f.id === fileId)).toBeUndefined();
    const late = await append(base, user.token, fileId, 3000, randomBytes(10));
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: "NOT_LIVE" } });
    const account = await api<{ usedBytes: number }>(base, "GET", "/api/account", { token: user.token });
    expect(account.body.usedBytes).toBe(3000 + 300 + 900);
  });

  it("only the uploader appends; members and strangers cannot", async () => {
    const base = server.url;
    const owner = await signupAndLogin(base);
    const stranger = await signupAndLogin(base);
    const body = startBody(owner);
    expect((await api(base, "POST", "/api/live", { token: owner.token, body })).status).toBe(201);
    expect((await append(base, stranger.token, body.id, 0, randomBytes(10))).status).toBe(404);
    expect((await content(base, stranger.token, body.id)).status).toBe(404);
    const duplicate = await api(base, "POST", "/api/live", { token: owner.token, body });
    expect(duplicate.status).toBe(409);
    // Into someone else's album without membership: 404 as for any album one cannot see.
    const foreign = await api(base, "POST", "/api/live", {
      token: stranger.token,
      body: { ...startBody(stranger), albumId: owner.libraryAlbumId },
    });
    expect(foreign.status).toBe(404);
  });

  it("takes a segment every ~100 ms without refusing any (no rate limit on appends)", async () => {
    const base = server.url;
    const user = await signupAndLogin(base);
    const body = startBody(user);
    await api(base, "POST", "/api/live", { token: user.token, body });
    let offset = 0;
    for (let i = 0; i < 40; i++) {
      const response = await append(base, user.token, body.id, offset, randomBytes(1024));
      expect(response.status).toBe(200);
      offset += 1024;
    }
    const whole = await content(base, user.token, body.id);
    expect(whole.headers.get("umbra-live-length")).toBe(String(offset));
  });
});
