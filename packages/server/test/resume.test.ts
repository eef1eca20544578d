import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  commitFile,
  createDatabase,
  listFiles,
  type RunningServer,
  removeTempDirs,
  signupAndLogin,
  startServer,
  type TestUser,
  tempDir,
} from "./harness.js";
import { tusUpload } from "./tus-client.js";

describe.each(backends)("crash and resume ($name)", (backend) => {
  let dataDir: string;
  let databaseUrl: string;
  let server: RunningServer;
  let dropDb: () => Promise<void>;
  let user: TestUser;

  beforeAll(async () => {
    dataDir = await tempDir();
    const db = await createDatabase(backend, dataDir);
    databaseUrl = db.url;
    dropDb = db.drop;
    server = await startServer({ dataDir, databaseUrl });
    user = await signupAndLogin(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    await dropDb?.();
    await removeTempDirs();
  });

  it("resumes an upload after SIGKILL mid-upload; the bytes are identical and nothing is orphaned", async () => {
    const bytes = randomBytes(4 * 1024 * 1024);
    const chunkSize = 512 * 1024;
    const killed = tusUpload(server.url, user.token, bytes, {
      chunkSize,
      onChunk: (accepted) => {
        // After the first chunk, kill the server while the next PATCH is in flight.
        if (accepted === chunkSize && server.process.exitCode === null) {
          server.process.kill("SIGKILL");
        }
      },
    }).catch((error: Error) => error);
    const outcome = await killed;
    expect(outcome).toBeInstanceOf(Error);
    await server.kill();
    const pending = (await fs.readdir(path.join(dataDir, "uploads"))).filter((n) => !n.endsWith(".json"));
    expect(pending).toHaveLength(1);
    // The client would keep the upload URL; the one pending upload on disk is it.
    const uploadUrl = `/api/uploads/${pending[0]}`;

    server = await startServer({ dataDir, databaseUrl });
    const head = await fetch(server.url + uploadUrl, {
      method: "HEAD",
      headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0" },
    });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get("upload-offset"));
    expect(offset).toBeGreaterThanOrEqual(chunkSize);
    expect(offset).toBeLessThan(bytes.length);

    const uploadId = await tusUpload(server.url, user.token, bytes, {
      chunkSize,
      uploadUrl: server.url + uploadUrl,
    });
    expect(uploadId).toBe(pending[0]);
    const committed = await commitFile(server.url, user.token, uploadId, { albumId: user.libraryAlbumId });
    expect(committed.status).toBe(201);
    const fileId = committed.body.id as string;
    const content = await fetch(`${server.url}/api/files/${fileId}/content`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);

    // Restart once more so the start-up sweeper runs over the final state: nothing to remove, nothing lost.
    await server.stop();
    server = await startServer({ dataDir, databaseUrl });
    expect(await fs.readdir(path.join(dataDir, "uploads"))).toEqual([]);
    const blobs = (await listFiles(path.join(dataDir, "blobs"))).map((f) => path.basename(f)).sort();
    expect(blobs).toEqual([`${uploadId}.content`, `${uploadId}.grid`, `${uploadId}.preview`]);
    const again = await fetch(`${server.url}/api/files/${fileId}/content`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(Buffer.from(await again.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("sweeps orphan blobs, orphan upload files and rows whose blob vanished at start", async () => {
    const first = await tusUpload(server.url, user.token, randomBytes(1000));
    const committed = await commitFile(server.url, user.token, first, { albumId: user.libraryAlbumId });
    expect(committed.status).toBe(201);
    const keep = await tusUpload(server.url, user.token, randomBytes(2000));
    const kept = await commitFile(server.url, user.token, keep, { albumId: user.libraryAlbumId });
    expect(kept.status).toBe(201);
    await server.stop();

    // A crash between "blob written" and "row committed", and a stray upload file without a row.
    const blobRoot = path.join(dataDir, "blobs");
    const orphanId = "0123456789abcdef0123456789abcdef.content";
    const shard = createHash("sha256").update(orphanId).digest("hex");
    const orphanDir = path.join(blobRoot, shard.slice(0, 2), shard.slice(2, 4));
    await fs.mkdir(orphanDir, { recursive: true });
    await fs.writeFile(path.join(orphanDir, orphanId), randomBytes(100));
    await fs.writeFile(path.join(dataDir, "uploads", "fedcba9876543210fedcba9876543210"), randomBytes(100));
    // A row whose content blob was lost (e.g. disk damage) must not stay dangling.
    const lost = (await listFiles(blobRoot)).find((f) => path.basename(f) === `${first}.content`)!;
    await fs.rm(lost);

    server = await startServer({ dataDir, databaseUrl });
    const blobs = (await listFiles(blobRoot)).map((f) => path.basename(f)).sort();
    expect(blobs.some((b) => b.startsWith("0123456789abcdef"))).toBe(false);
    expect(blobs.some((b) => b.startsWith(first))).toBe(false);
    expect(blobs.filter((b) => b.startsWith(keep))).toHaveLength(3);
    expect(await fs.readdir(path.join(dataDir, "uploads"))).toEqual([]);
    const gone = await api(server.url, "GET", `/api/files/${committed.body.id}`, { token: user.token });
    expect(gone.status).toBe(404);
    const sync = await api<{ files: { id: string }[] }>(server.url, "GET", "/api/sync", {
      token: user.token,
    });
    expect(sync.body.files.map((f) => f.id)).not.toContain(committed.body.id);
    expect(sync.body.files.map((f) => f.id)).toContain(kept.body.id);
  });

  it("expires abandoned uploads and deletes old trash", async () => {
    // Committed before the restart: with 1 s upload expiry a slow commit could lose its upload.
    const trashedId = await tusUpload(server.url, user.token, randomBytes(700));
    const trashed = await commitFile(server.url, user.token, trashedId, { albumId: user.libraryAlbumId });
    const kept = await tusUpload(server.url, user.token, randomBytes(700));
    const keptFile = await commitFile(server.url, user.token, kept, { albumId: user.libraryAlbumId });
    await server.stop();
    server = await startServer({
      dataDir,
      databaseUrl,
      // Trash is kept 0.00002 days (about 1.7 s) here.
      env: { UMBRA_UPLOAD_EXPIRY: "1", UMBRA_SWEEP_INTERVAL: "1", UMBRA_TRASH_DAYS: "0.00002" },
    });
    const before = await api<{ cursor: string }>(server.url, "GET", "/api/sync", { token: user.token });
    await api(server.url, "POST", `/api/files/${trashed.body.id}/trash`, { token: user.token });
    const created = await fetch(`${server.url}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0", "upload-length": "1000" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("upload-expires")).toBeTruthy();
    const location = created.headers.get("location")!;
    const head = async () =>
      (
        await fetch(server.url + location, {
          method: "HEAD",
          headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0" },
        })
      ).status;
    // The sweeper runs every second; the row goes first, then the upload's files.
    const gone = async () =>
      (await head()) === 404 && (await fs.readdir(path.join(dataDir, "uploads"))).length === 0;
    const deadline = Date.now() + 20_000;
    let done = false;
    while (!done && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      done = await gone();
    }
    expect(await head()).toBe(404);
    // By now (≥ 1 s of sweeps later) the trashed file is gone for good, with a tombstone; the other is not.
    const trashDeadline = Date.now() + 20_000;
    let status = 200;
    while (status !== 404 && Date.now() < trashDeadline) {
      status = (await api(server.url, "GET", `/api/files/${trashed.body.id}`, { token: user.token })).status;
      if (status !== 404) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(status).toBe(404);
    const delta = await api<{ deleted: { files: string[] } }>(
      server.url,
      "GET",
      `/api/sync?since=${before.body.cursor}`,
      { token: user.token },
    );
    expect(delta.body.deleted.files).toEqual([trashed.body.id]);
    expect(
      (await api(server.url, "GET", `/api/files/${keptFile.body.id}`, { token: user.token })).status,
    ).toBe(200);
    const blobs = (await listFiles(path.join(dataDir, "blobs"))).map((f) => path.basename(f));
    expect(blobs.some((b) => b.startsWith(trashedId))).toBe(false);
    expect(await fs.readdir(path.join(dataDir, "uploads"))).toEqual([]);
  });
});
