import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TruncatedError, UmbraCryptoError } from "@umbra/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UmbraClient } from "../../src/client.js";
import { ApiError } from "../../src/errors.js";
import { PublicLink } from "../../src/public-link.js";
import {
  type Account,
  drain,
  hooks,
  type MaliciousServer,
  photo,
  startMaliciousServer,
  truncateBlob,
  writeFile,
} from "./harness.js";

/**
 * Scenario 9: a blob cut short on the server's disk (its record still says the full length). The server must
 * refuse it before the first byte (500 BLOB_INCOMPLETE, logged), and every download path of the SDK must end
 * with the one integrity error TRUNCATED, as must a body whose connection drops mid-way.
 */

const mine = photo("cut.jpg", 9);

let server: MaliciousServer;
let logDir: string;
let logFile: string;
let alice: Account;
let bob: Account;
let albumId: string;
let fileId: string;
let linkUrl: string;
/** The true blobs, put back after each test. */
const originals = new Map<string, Buffer>();

/** Every line of the server's JSON log that mentions `text`, once at least `count` are written. */
async function logLines(text: string, count: number): Promise<Record<string, unknown>[]> {
  for (;;) {
    const lines = (await readFile(logFile, "utf8").catch(() => ""))
      .split("\n")
      .filter((line) => line.includes(text))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    if (lines.length >= count) return lines;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The typed integrity error: the crypto package's TruncatedError, whatever the path that found it. */
function expectTruncated(error: unknown): void {
  expect(error).toBeInstanceOf(TruncatedError);
  expect(error).toBeInstanceOf(UmbraCryptoError);
  expect(error).toMatchObject({ code: "TRUNCATED" });
}

/** A download that must fail: returns the error, whether the call threw or its stream did. */
async function failedDownload(
  start: () => Promise<{ stream: ReadableStream<Uint8Array> }>,
): Promise<{ error: unknown; bytes: Buffer }> {
  try {
    const { stream } = await start();
    const { bytes, error } = await drain(stream);
    return { bytes, error };
  } catch (error) {
    return { bytes: Buffer.alloc(0), error };
  }
}

/**
 * A proxy that drops the connection in the middle of content bodies: the status and the full Content-Length go
 * out, then `cutAfter` bytes, then the socket is destroyed (what a client sees when a server's stream ends early).
 */
async function startCuttingProxy(
  target: string,
  cutAfter: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!/\/content$/.test(req.url ?? "") || answer.statusCode !== 200) {
          answer.pipe(res);
          return;
        }
        let sent = 0;
        answer.on("data", (chunk: Buffer) => {
          if (sent >= cutAfter) return;
          const part = chunk.subarray(0, cutAfter - sent);
          sent += part.length;
          if (sent < cutAfter) res.write(part);
          else {
            answer.destroy();
            res.write(part, () => res.socket?.destroy());
          }
        });
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("malicious server 09: a blob truncated on the server's disk", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), "umbra-09-log-"));
    logFile = join(logDir, "server.log");
    server = await startMaliciousServer({ UMBRA_LOG_FILE: logFile, UMBRA_LOG_LEVEL: "info" });
    alice = await server.account("alice-09@example.com");
    bob = await server.account("bob-09@example.com");
    albumId = (await alice.client.library.createAlbum("Cut")).id;
    fileId = (await alice.client.upload([mine.source], hooks, { albumId })).uploaded[0]!.fileId;
    await alice.client.sharing.share(albumId, bob.email, "viewer");
    linkUrl = (await alice.client.links.create({ fileId })).url;
    for (const kind of ["content", "grid"] as const) {
      const path = await server.blobPath(fileId, kind);
      originals.set(path, await readFile(path));
    }
  }, 120_000);
  afterEach(async () => {
    for (const [path, bytes] of originals) await writeFile(path, bytes);
  });
  afterAll(async () => {
    await server?.stop();
    if (logDir) await rm(logDir, { recursive: true, force: true });
  }, 60_000);

  it("the server answers 500 BLOB_INCOMPLETE before any byte (whole and Range) and logs both lengths", async () => {
    const content = await server.blobPath(fileId);
    const recorded = originals.get(content)!.length;
    await truncateBlob(content, 100);
    const token = alice.client.session!.token;
    for (const range of [undefined, "bytes=0-99", "bytes=-10"]) {
      const response = await fetch(`${server.realUrl}/api/files/${fileId}/content`, {
        headers: { authorization: `Bearer ${token}`, ...(range ? { range } : {}) },
      });
      expect(response.status, range).toBe(500);
      expect(response.headers.get("content-range")).toBeNull();
      expect(await response.json()).toMatchObject({ error: { code: "BLOB_INCOMPLETE" } });
    }
    const lines = (await logLines("BLOB_INCOMPLETE", 3)).filter((line) => line.fileId === fileId);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 50, recordedBytes: recorded, storedBytes: recorded - 100 });
      expect(Object.keys(line)).not.toContain("body");
    }
  });

  it("every SDK download path throws TRUNCATED for it: owner, Range, thumbnail, shared-album member, public link", async () => {
    await truncateBlob(await server.blobPath(fileId), 1);
    const owner = await failedDownload(() => alice.client.download(fileId));
    expectTruncated(owner.error);
    // The server's answer stays reachable as the cause, with its code and status.
    expect((owner.error as Error).cause).toBeInstanceOf(ApiError);
    expect((owner.error as Error).cause).toMatchObject({ code: "BLOB_INCOMPLETE", status: 500 });
    expect(owner.bytes.length).toBe(0);
    expectTruncated(await alice.client.downloadRange(fileId, 0, 99).catch((e: unknown) => e));
    await bob.client.sharedFiles.list(albumId);
    expectTruncated((await failedDownload(() => bob.client.sharedFiles.download(albumId, fileId))).error);
    const link = await PublicLink.open(linkUrl);
    expectTruncated((await failedDownload(() => link.download(fileId))).error);

    await truncateBlob(await server.blobPath(fileId, "grid"), 1);
    expectTruncated(await alice.client.thumbnail(fileId, "grid").catch((e: unknown) => e));
  });

  it("a body whose connection drops mid-way is TRUNCATED too, never a bare 'terminated'", async () => {
    const cutter = await startCuttingProxy(server.realUrl, 20_000);
    try {
      const client = new UmbraClient({ serverUrl: cutter.url });
      await client.login(alice.email, alice.password);
      const owner = await failedDownload(() => client.download(fileId));
      expectTruncated(owner.error);
      expect((owner.error as Error).cause).toBeInstanceOf(TypeError);
      // Only authenticated bytes came out, and not all of them.
      expect(owner.bytes.length).toBeLessThan(mine.bytes.length);
      expect(owner.bytes.equals(Buffer.from(mine.bytes.subarray(0, owner.bytes.length)))).toBe(true);
      const link = await PublicLink.open(linkUrl, { serverUrl: cutter.url });
      expectTruncated((await failedDownload(() => link.download(fileId))).error);
    } finally {
      await cutter.stop();
    }
  });
});
