import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UmbraClient } from "../src/client.js";
import type { LiveReader } from "../src/live-reader.js";
import { startServer } from "./server-process.js";
import { collect } from "./upload-fixtures.js";

// Live recordings (SPEC §6.11, docs/PROTOCOL.md "Live uploads") against the real server.

const S = 16 * 1024;
let server: Awaited<ReturnType<typeof startServer>>;
let alice: UmbraClient;
let aliceTablet: UmbraClient;
let bob: UmbraClient;

async function account(email: string): Promise<UmbraClient> {
  const client = new UmbraClient({ serverUrl: server.url });
  await client.signup(email, `${email} password`);
  return client;
}

/** Reads from a reader until `count` plaintext bytes came out (or its end). */
async function readAtLeast(reader: LiveReader, count: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < count) {
    const chunk = await reader.next();
    if (chunk === null) break;
    chunks.push(chunk);
    total += chunk.length;
  }
  return Buffer.concat(chunks);
}

async function readToEnd(reader: LiveReader): Promise<Buffer> {
  return readAtLeast(reader, Number.POSITIVE_INFINITY);
}

describe("live recordings against a real server", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    server = await startServer();
    alice = await account("alice-live@example.com");
    aliceTablet = new UmbraClient({ serverUrl: server.url });
    await aliceTablet.login("alice-live@example.com", "alice-live@example.com password");
    bob = await account("bob-live@example.com");
  }, 120_000);
  afterAll(() => server?.stop(), 60_000);

  it("another device watches the recording grow, then reads the finished file to its authenticated end", async () => {
    const recording = randomBytes(5 * S + 1234);
    const upload = await alice.live.start({
      name: "cam.webm",
      mime: "video/webm",
      takenAt: "2026-11-29T10:00:00.000Z",
    });
    await upload.append(recording.subarray(0, 3 * S + 10));
    await upload.flush();
    expect(upload.uploadedBytes).toBe(47 + 3 * (S + 16));

    // The tablet sees it live in its library and reads the segments sealed so far, while it records.
    await aliceTablet.library.sync();
    const entry = await aliceTablet.library.file(upload.fileId);
    expect(entry.record.live).toBe(true);
    const reader = await aliceTablet.live.open(upload.fileId, { pollIntervalMs: 50 });
    expect(reader.live).toBe(true);
    const early = await readAtLeast(reader, 3 * S);
    expect(early.equals(recording.subarray(0, 3 * S))).toBe(true);

    await upload.append(recording.subarray(3 * S + 10));
    const finished = await upload.finish({ durationSec: 4.5, width: 640, height: 480 });
    expect(finished.record.live).toBeUndefined();
    expect(finished.metadata).toMatchObject({ name: "cam.webm", size: recording.length, durationSec: 4.5 });
    const rest = await readToEnd(reader);
    expect(Buffer.concat([early, rest]).equals(recording)).toBe(true);
    expect(reader.live).toBe(false);

    // A normal file now: the ordinary download decrypts it (the zeros after `size` are §6.5 padding).
    const { stream } = await aliceTablet.download(upload.fileId);
    expect((await collect(stream)).equals(recording)).toBe(true);
  });

  it("a reader reads an ordinary (padded, not live) file to its end too", async () => {
    const bytes = randomBytes(3 * S + 100);
    const summary = await alice.upload(
      [
        {
          name: "plain.bin",
          size: bytes.length,
          mime: "application/octet-stream",
          localKey: "plain.bin",
          open: () => new Blob([bytes]).stream(),
        },
      ],
      { extract: async () => ({ info: {}, thumbnails: null }) },
      { segmentSize: S },
    );
    const reader = await aliceTablet.live.open(summary.uploaded[0]!.fileId);
    expect(reader.live).toBe(false);
    expect((await readToEnd(reader)).equals(bytes)).toBe(true);
  });

  it("an album member sees the recording live, signed with the live digest, and reads it; then the real one", async () => {
    const albumId = (await alice.library.createAlbum("Live album")).id;
    await alice.sharing.share(albumId, "bob-live@example.com", "viewer");
    const recording = randomBytes(2 * S + 7);
    const upload = await alice.live.start({ albumId, name: "party.webm", mime: "video/webm" });
    await upload.append(recording.subarray(0, 2 * S));
    await upload.flush();
    const listed = await bob.sharedFiles.list(albumId);
    expect(listed.rejected).toEqual([]);
    expect(listed.files.find((f) => f.id === upload.fileId)?.record.live).toBe(true);
    const reader = await bob.live.open(upload.fileId, { albumId, pollIntervalMs: 50 });
    const early = await readAtLeast(reader, 2 * S);
    expect(early.equals(recording.subarray(0, 2 * S))).toBe(true);
    await upload.append(recording.subarray(2 * S));
    await upload.finish();
    expect(Buffer.concat([early, await readToEnd(reader)]).equals(recording)).toBe(true);
    const after = await bob.sharedFiles.list(albumId);
    expect(after.rejected).toEqual([]);
    const record = after.files.find((f) => f.id === upload.fileId)!.record;
    expect(record.live).toBeUndefined();
    const { stream } = await bob.sharedFiles.download(albumId, upload.fileId);
    expect((await collect(stream)).equals(recording)).toBe(true);
  });

  it("a contributor records into someone else's album; cut off, their other device recovers and re-signs it", async () => {
    const albumId = (await alice.library.createAlbum("Contributions")).id;
    await alice.sharing.share(albumId, "bob-live@example.com", "contributor");
    const recording = randomBytes(3 * S + 9);
    const upload = await bob.live.start({ albumId, name: "bob-cam.webm", mime: "video/webm" });
    await upload.append(recording);
    await upload.flush();
    const seen = await alice.sharedFiles.list(albumId);
    expect(seen.rejected).toEqual([]);
    expect(seen.files.find((f) => f.id === upload.fileId)?.record.live).toBe(true);
    // Bob's recorder dies; his other device finishes the recording and signs the placement over its real digest.
    await upload.abort();
    const bobLaptop = new UmbraClient({ serverUrl: server.url });
    await bobLaptop.login("bob-live@example.com", "bob-live@example.com password");
    const recovered = await bobLaptop.live.recover({ olderThanMs: 0 });
    expect(recovered).toMatchObject([{ fileId: upload.fileId, keptBytes: 3 * S, finalized: true }]);
    const after = await alice.sharedFiles.list(albumId);
    expect(after.rejected).toEqual([]);
    const entry = after.files.find((f) => f.id === upload.fileId)!;
    expect(entry.record.live).toBeUndefined();
    const { stream } = await alice.sharedFiles.download(albumId, upload.fileId);
    expect((await collect(stream)).equals(recording.subarray(0, 3 * S))).toBe(true);
  });

  it("an answer lost after the append landed is not sent twice (the server's length says what landed)", async () => {
    let dropped = 0;
    // A transport that loses the answer of the second append (the bytes reach the server).
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).includes("/append") && ++dropped === 2) throw new TypeError("network lost");
      return response;
    };
    const client = new UmbraClient({ serverUrl: server.url, fetch: lossy, backoff: { attempts: 1 } });
    await client.login("alice-live@example.com", "alice-live@example.com password");
    const recording = randomBytes(3 * S);
    const upload = await client.live.start({ name: "lossy.webm", mime: "video/webm" });
    for (let i = 0; i < 3; i++) {
      await upload.append(recording.subarray(i * S, (i + 1) * S));
      await upload.flush();
    }
    await upload.finish();
    expect(dropped).toBeGreaterThan(2);
    const { stream } = await alice.download(upload.fileId);
    expect((await collect(stream)).equals(recording)).toBe(true);
  });

  it("a network that goes away: appends wait (bounded memory, backpressure) and resume where the server is", async () => {
    let down = false;
    let refused = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (down && String(input).includes("/append")) {
        refused++;
        throw new TypeError("network down");
      }
      return fetch(input, init);
    };
    const client = new UmbraClient({
      serverUrl: server.url,
      fetch: flaky,
      backoff: { attempts: 1, baseDelayMs: 10, maxDelayMs: 50 },
    });
    await client.login("alice-live@example.com", "alice-live@example.com password");
    const recording = randomBytes(8 * S);
    // Room for two sealed segments in memory: the third append waits until the network is back.
    const upload = await client.live.start({
      name: "flaky.webm",
      mime: "video/webm",
      maxQueuedBytes: 2 * (S + 16),
    });
    await upload.flush();
    down = true;
    await upload.append(recording.subarray(0, 2 * S));
    let waiting = true;
    const third = upload.append(recording.subarray(2 * S, 4 * S)).finally(() => (waiting = false));
    await expect.poll(() => refused, { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(3);
    expect(waiting).toBe(true);
    down = false;
    await third;
    await upload.append(recording.subarray(4 * S));
    await upload.finish();
    const { stream } = await alice.download(upload.fileId);
    expect((await collect(stream)).equals(recording)).toBe(true);
  });

  it("an interrupted recording is finished by another device with every whole segment kept", async () => {
    const recording = randomBytes(4 * S + 500);
    const upload = await alice.live.start({ name: "cut.webm", mime: "video/webm" });
    await upload.append(recording);
    await upload.flush();
    // The recorder dies: no finish. The last 500 bytes never filled a segment and are lost.
    await upload.abort();
    expect(await aliceTablet.live.recover({ olderThanMs: 60_000 })).toEqual([]);
    const recovered = await aliceTablet.live.recover({ olderThanMs: 0 });
    expect(recovered).toEqual([
      { fileId: upload.fileId, name: "cut.webm", keptBytes: 4 * S, segments: 4, finalized: true },
    ]);
    const { stream } = await alice.download(upload.fileId);
    expect((await collect(stream)).equals(recording.subarray(0, 4 * S))).toBe(true);
    expect(await alice.live.recover({ olderThanMs: 0 })).toEqual([]);
    // Every device vouched for the recording as it went (start, finish): no device sees an unknown file.
    await alice.library.sync();
    await aliceTablet.library.sync();
    const mismatch = (c: UmbraClient) => c.warnings.list.filter((w) => w.code === "LIBRARY_MISMATCH");
    expect([...mismatch(alice), ...mismatch(aliceTablet)]).toEqual([]);
  });
});
