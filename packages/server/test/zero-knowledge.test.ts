import { createCipheriv, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  commitFile,
  createDatabase,
  listFiles,
  newId,
  type RunningServer,
  removeTempDirs,
  signupAndLogin,
  startServer,
  tempDir,
} from "./harness.js";
import { tusUpload } from "./tus-client.js";

/** Stand-in for the client's encryption: AES-256-GCM under a key only the test holds. */
function encrypt(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

async function databaseText(url: string): Promise<Buffer> {
  if (!url.startsWith("postgres")) return Buffer.alloc(0);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = await client.query<{ tablename: string }>(
    "select tablename from pg_tables where schemaname = 'public'",
  );
  let text = "";
  for (const { tablename } of tables.rows) {
    const rows = await client.query(`select * from "${tablename}"`);
    text += JSON.stringify(rows.rows);
  }
  await client.end();
  return Buffer.from(text);
}

describe.each(backends)("zero knowledge ($name)", (backend) => {
  let server: RunningServer;
  let dataDir: string;
  let databaseUrl: string;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    dataDir = await tempDir();
    const db = await createDatabase(backend, dataDir);
    databaseUrl = db.url;
    dropDb = db.drop;
    server = await startServer({ dataDir, databaseUrl });
  });
  afterAll(async () => {
    await server?.stop();
    await dropDb?.();
    await removeTempDirs();
  });

  it("stores and logs nothing but ciphertext: no password, name, plaintext, token or body", async () => {
    const tag = randomBytes(6).toString("hex");
    const password = `Password-Marker-${tag}`;
    const fileName = `FileName-Marker-${tag}.jpg`;
    const albumName = `AlbumName-Marker-${tag}`;
    const plaintextMarker = `Plaintext-Marker-${tag}`;
    const base = server.url;
    const user = await signupAndLogin(base, `zk-${tag}@example.test`, password);

    const key = randomBytes(32);
    const plaintext = Buffer.from(`${plaintextMarker}\n`.repeat(5000));
    const ciphertext = encrypt(key, plaintext);
    const encryptedMetadata = encrypt(key, Buffer.from(JSON.stringify({ name: fileName }))).toString(
      "base64url",
    );
    const encryptedName = encrypt(key, Buffer.from(albumName)).toString("base64url");
    const wrappedAlbumKey = encrypt(key, randomBytes(32)).toString("base64url");
    const albumId = newId("a");
    const album = await api(base, "POST", "/api/albums", {
      token: user.token,
      body: { id: albumId, encryptedName, wrappedAlbumKey },
    });
    expect(album.status).toBe(201);
    // A careless client might put the file name into tus Upload-Metadata: the server must not keep it.
    const uploadId = await tusUpload(base, user.token, ciphertext, {
      chunkSize: 32 * 1024,
      metadata: { filename: fileName, filetype: "image/jpeg" },
    });
    const committed = await commitFile(base, user.token, uploadId, {
      albumId,
      encryptedMetadata,
      grid: encrypt(key, Buffer.from(`${plaintextMarker} grid`)),
      preview: encrypt(key, Buffer.from(`${plaintextMarker} preview`)),
    });
    expect(committed.status).toBe(201);
    const fileId = committed.body.id as string;
    const content = await fetch(`${base}/api/files/${fileId}/content`, {
      headers: { authorization: `Bearer ${user.token}`, range: "bytes=0-99" },
    });
    expect(content.status).toBe(206);
    await api(base, "GET", "/api/sync?since=0", { token: user.token });
    // And one upload left pending, so its tus bookkeeping is on disk during the scan.
    const pending = await fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${user.token}`,
        "tus-resumable": "1.0.0",
        "upload-length": "100",
        "upload-metadata": `filename ${Buffer.from(fileName).toString("base64")}`,
      },
    });
    expect(pending.status).toBe(201);
    await api(base, "PATCH", `/api/files/${fileId}`, { token: user.token, body: { encryptedMetadata } });
    // And a live recording left live, so its growing bytes are on disk during the scan too.
    const liveId = newId("f");
    const live = await api(base, "POST", "/api/live", {
      token: user.token,
      body: {
        id: liveId,
        albumId,
        wrappedFileKey: encrypt(key, randomBytes(32)).toString("base64url"),
        encryptedMetadata,
      },
    });
    expect(live.status).toBe(201);
    const appended = await fetch(`${base}/api/live/${liveId}/append`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${user.token}`,
        "content-type": "application/octet-stream",
        "umbra-offset": "0",
      },
      body: new Uint8Array(encrypt(key, plaintext)),
    });
    expect(appended.status).toBe(200);
    await appended.text();
    await server.stop(); // flush the log and the database

    const secrets = [password, fileName, albumName, plaintextMarker];
    const stored = await listFiles(dataDir);
    const storedFiles = stored.filter((f) => !f.endsWith("server.log"));
    expect(storedFiles.some((f) => f.includes("/blobs/"))).toBe(true);
    expect(storedFiles.some((f) => f.includes("/live/"))).toBe(true);
    for (const file of storedFiles) {
      const bytes = await fs.readFile(file);
      for (const secret of secrets) expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }
    const dbText = await databaseText(databaseUrl);
    if (backend.name === "postgres") expect(dbText.includes(encryptedMetadata)).toBe(true);
    for (const secret of secrets) expect(dbText.includes(secret), `${secret} in database`).toBe(false);

    const log = await fs.readFile(server.logFile, "utf8");
    // The log is not empty: requests are logged (method, route, status, duration)...
    expect(log).toContain('"route":"/api/files"');
    expect(log).toContain('"status":201');
    // ...but never a secret, the token, the email or any request body value.
    const neverLogged = [
      ...secrets,
      user.token,
      user.email,
      encryptedMetadata,
      encryptedName,
      wrappedAlbumKey,
      user.recoveryAuthKey,
      String(user.keyBundle.passwordWrappedMasterKey),
      "authorization",
      "Bearer",
    ];
    for (const value of neverLogged)
      expect(log.includes(value), `log contains ${value.slice(0, 24)}`).toBe(false);
  });
});
