import { randomBytes } from "node:crypto";
import { appendFile, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import {
  backends,
  blobFile,
  commitFile,
  type RunningServer,
  serverPerFile,
  signupAndLogin,
  type TestUser,
  uploadBytes,
} from "./harness.js";

interface LogLine {
  level: number;
  msg: string;
  code?: string;
  fileId?: string;
  recordedBytes?: number;
  storedBytes?: number | null;
}

/** The log's lines about `fileId`'s blob, once at least `count` are written (pino writes asynchronously). */
async function blobLogLines(server: RunningServer, fileId: string, count: number): Promise<LogLine[]> {
  for (;;) {
    const text = await readFile(server.logFile, "utf8").catch(() => "");
    const lines = text
      .split("\n")
      .filter((line) => line.includes("BLOB_INCOMPLETE"))
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.fileId === fileId);
    if (lines.length >= count) return lines;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe.each(backends)("a stored blob whose length differs from its record ($name)", (backend) => {
  const running = serverPerFile(backend);
  let base: string;
  let user: TestUser;
  beforeAll(async () => {
    base = running.server().url;
    user = await signupAndLogin(base);
  });

  const get = (route: string, headers: Record<string, string> = {}) =>
    fetch(base + route, { headers: { authorization: `Bearer ${user.token}`, ...headers } });

  async function stored(bytes: Uint8Array): Promise<{ fileId: string; uploadId: string }> {
    const uploadId = await uploadBytes(base, user.token, bytes);
    const res = await commitFile(base, user.token, uploadId, { albumId: user.libraryAlbumId });
    expect(res.status).toBe(201);
    return { fileId: res.body.id as string, uploadId };
  }

  async function expectRefused(response: Response): Promise<void> {
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.headers.get("content-range")).toBeNull();
    expect(response.headers.get("etag")).toBeNull();
    expect(await response.json()).toMatchObject({ error: { code: "BLOB_INCOMPLETE" } });
  }

  it("answers 500 BLOB_INCOMPLETE for content cut short (whole and Range) and logs both lengths", async () => {
    const bytes = randomBytes(5000);
    const { fileId, uploadId } = await stored(bytes);
    const file = blobFile(running.server(), `${uploadId}.content`);
    await truncate(file, 4000);
    await expectRefused(await get(`/api/files/${fileId}/content`));
    // A range inside the bytes still on disk is refused too: the file as a whole is not what was recorded.
    await expectRefused(await get(`/api/files/${fileId}/content`, { range: "bytes=0-99" }));
    const lines = await blobLogLines(running.server(), fileId, 2);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 50, recordedBytes: 5000, storedBytes: 4000 });
      // Lengths and ids only: nothing of the ciphertext reaches the log.
      expect(JSON.stringify(line)).not.toContain(bytes.subarray(0, 16).toString("base64"));
    }

    await writeFile(file, bytes);
    const whole = await get(`/api/files/${fileId}/content`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("refuses a blob longer than its record, a missing blob and a cut thumbnail the same way", async () => {
    const { fileId, uploadId } = await stored(randomBytes(3000));
    const content = blobFile(running.server(), `${uploadId}.content`);
    await appendFile(content, Buffer.from([1]));
    await expectRefused(await get(`/api/files/${fileId}/content`));
    await truncate(blobFile(running.server(), `${uploadId}.grid`), 10);
    await expectRefused(await get(`/api/files/${fileId}/thumbnails/grid`));
    expect((await get(`/api/files/${fileId}/thumbnails/preview`)).status).toBe(200);
    await rm(blobFile(running.server(), `${uploadId}.preview`));
    await expectRefused(await get(`/api/files/${fileId}/thumbnails/preview`));
    const lines = await blobLogLines(running.server(), fileId, 3);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordedBytes: 3000, storedBytes: 3001 }),
        expect.objectContaining({ recordedBytes: 300, storedBytes: 10 }),
        expect.objectContaining({ recordedBytes: 900, storedBytes: null }),
      ]),
    );
  });
});
