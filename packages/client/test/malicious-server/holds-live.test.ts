import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LiveReader } from "../../src/live-reader.js";
import type { LiveUpload } from "../../src/live-upload.js";
import { type Account, type MaliciousServer, startMaliciousServer } from "./harness.js";
import type { RawAnswer } from "./lying-proxy.js";

/**
 * A live recording read through a lying server (SPEC §6.11): a reader releases only segments that authenticate,
 * in order, waits when told the file is still live, and ends only at an authenticated final segment; a shared
 * album's record must carry the live digest exactly while it is listed as live (SPEC §17.4).
 */

const S = 16 * 1024;
const SEGMENT = S + 16;
const HEADER = 47;

let server: MaliciousServer;
let alice: Account;
let bob: Account;
let albumId: string;

/** Recorded bytes without zeros, so no released byte is held back as possible padding. */
const recording = (length: number) => Buffer.from(randomBytes(length).map((b) => b | 1));

async function readAll(reader: LiveReader): Promise<{ bytes: Buffer; error: unknown }> {
  const chunks: Uint8Array[] = [];
  try {
    for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) chunks.push(chunk);
    return { bytes: Buffer.concat(chunks), error: undefined };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

const contentReads = (fileId: string) =>
  server.proxy.seen.filter((r) => r.method === "GET" && r.path === `/api/files/${fileId}/content`).length;

/** Waits until the reader asked for the content `more` more times: it is polling, not finished. */
async function untilPolled(fileId: string, more: number): Promise<void> {
  const target = contentReads(fileId) + more;
  await expect
    .poll(() => contentReads(fileId), { timeout: 60_000, interval: 20 })
    .toBeGreaterThanOrEqual(target);
}

/** A lie about the live bytes: `edit` gets the ciphertext the real server sent from offset 0. */
function lieAboutContent(fileId: string, edit: (answer: RawAnswer) => RawAnswer | undefined): void {
  server.proxy.lieRaw({
    method: "GET",
    path: `/api/files/${fileId}/content`,
    respond: (answer) => edit(answer),
  });
}

const swap = (body: Buffer, a: number, b: number) => {
  const out = Buffer.from(body);
  body.subarray(HEADER + a * SEGMENT, HEADER + (a + 1) * SEGMENT).copy(out, HEADER + b * SEGMENT);
  body.subarray(HEADER + b * SEGMENT, HEADER + (b + 1) * SEGMENT).copy(out, HEADER + a * SEGMENT);
  return out;
};

async function liveRecording(
  bytes: Buffer,
  options: { albumId?: string } = {},
): Promise<{ upload: LiveUpload; fileId: string }> {
  const upload = await alice.client.live.start({ name: "cam.webm", mime: "video/webm", ...options });
  await upload.append(bytes);
  await upload.flush();
  return { upload, fileId: upload.fileId };
}

describe("live reading through a lying server", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    server = await startMaliciousServer();
    alice = await server.account("alice-live-lies@example.com");
    bob = await server.account("bob-live-lies@example.com");
    albumId = (await alice.client.library.createAlbum("Live")).id;
    await alice.client.sharing.share(albumId, bob.email, "viewer");
  }, 180_000);
  afterEach(() => server.proxy.truthful());
  afterAll(() => server?.stop(), 60_000);

  for (const [lie, edit, released] of [
    ["a forged segment", (b: Buffer) => Buffer.from(b).fill(7, HEADER + 10, HEADER + 11), 0],
    ["reordered segments", (b: Buffer) => swap(b, 1, 2), 1],
    [
      "a duplicated segment",
      (b: Buffer) => {
        const out = Buffer.from(b);
        b.subarray(HEADER + SEGMENT, HEADER + 2 * SEGMENT).copy(out, HEADER + 2 * SEGMENT);
        return out;
      },
      2,
    ],
  ] as const) {
    it(`${lie}: TAMPERED, and nothing of that segment is released`, async () => {
      const bytes = recording(3 * S);
      const { upload, fileId } = await liveRecording(bytes);
      lieAboutContent(fileId, (answer) => ({ ...answer, body: edit(answer.body) }));
      const reader = await (await alice.newDevice()).live.open(fileId, { pollIntervalMs: 20 });
      const { bytes: out, error } = await readAll(reader);
      expect(error).toMatchObject({ code: "TAMPERED" });
      expect(out.equals(bytes.subarray(0, released * S))).toBe(true);
      await upload.abort();
    });
  }

  it("a live length off a segment boundary: only whole segments are used; the rest comes when it is whole", async () => {
    const bytes = recording(3 * S);
    const { upload, fileId } = await liveRecording(bytes);
    lieAboutContent(fileId, (answer) =>
      answer.status === 206
        ? { ...answer, body: answer.body.subarray(0, answer.body.length - 100) }
        : undefined,
    );
    const reader = await (await alice.newDevice()).live.open(fileId, { pollIntervalMs: 20 });
    const first = Buffer.concat([(await reader.next())!, (await reader.next())!]);
    expect(first.equals(bytes.subarray(0, 2 * S))).toBe(true);
    const third = reader.next();
    let settled = false;
    void third.then(() => (settled = true));
    await untilPolled(fileId, 3);
    expect(settled).toBe(false);
    server.proxy.truthful();
    expect(Buffer.from((await third)!).equals(bytes.subarray(2 * S))).toBe(true);
    await upload.finish();
    expect(await reader.next()).toBeNull();
  });

  it("a finished file claimed to be live forever: the reader releases what authenticated and waits", async () => {
    const bytes = recording(2 * S + 5);
    const { upload, fileId } = await liveRecording(bytes);
    await upload.finish();
    server.proxy.lie({
      method: "GET",
      path: `/api/files/${fileId}`,
      rewrite: (record) => ({ ...record, live: true }),
    });
    lieAboutContent(fileId, (answer) => ({
      ...answer,
      headers: { ...answer.headers, "umbra-live-length": "999999999" },
    }));
    const reader = await (await alice.newDevice()).live.open(fileId, { pollIntervalMs: 20 });
    const out = Buffer.concat([(await reader.next())!, (await reader.next())!, (await reader.next())!]);
    expect(out.equals(bytes)).toBe(true);
    const rest = reader.next();
    let settled = false;
    void rest.then(() => (settled = true));
    await untilPolled(fileId, 3);
    expect(settled).toBe(false);
    reader.close();
  });

  it("a finished stream without its final segment: TRUNCATED after every authentic byte", async () => {
    const bytes = recording(2 * S);
    const { upload, fileId } = await liveRecording(bytes);
    await upload.finish();
    lieAboutContent(fileId, (answer) => {
      const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(answer.headers["content-range"]));
      if (!match) return undefined;
      const cut = answer.body.length - 17;
      return {
        ...answer,
        headers: {
          ...answer.headers,
          "content-range": `bytes ${match[1]}-${Number(match[2]) - 17}/${Number(match[3]) - 17}`,
        },
        body: answer.body.subarray(0, cut),
      };
    });
    const reader = await (await alice.newDevice()).live.open(fileId, { pollIntervalMs: 20 });
    const { bytes: out, error } = await readAll(reader);
    expect(error).toMatchObject({ code: "TRUNCATED" });
    expect(bytes.subarray(0, out.length).equals(out)).toBe(true);
  });

  it("a shared record whose live flag and signed digest disagree is refused, either way round", async () => {
    const bytes = recording(S);
    const { upload, fileId } = await liveRecording(bytes, { albumId });
    const ofFile = (body: { files: { id: string }[] }, change: (r: Record<string, unknown>) => void) => {
      for (const record of body.files) if (record.id === fileId) change(record as Record<string, unknown>);
      return body;
    };
    // Signed with the live digest, listed as finished.
    server.proxy.lie({
      method: "GET",
      path: `/api/albums/${albumId}/files`,
      rewrite: (body) => ofFile(body, (r) => delete r.live),
    });
    const hidden = await bob.client.sharedFiles.list(albumId);
    expect(hidden.files.map((f) => f.id)).not.toContain(fileId);
    expect(hidden.rejected.map((r) => r.id)).toContain(fileId);
    server.proxy.truthful();
    expect((await bob.client.sharedFiles.list(albumId)).files.map((f) => f.id)).toContain(fileId);

    // Finished (signed over its real digest), listed as still live.
    await upload.finish();
    server.proxy.lie({
      method: "GET",
      path: `/api/albums/${albumId}/files`,
      rewrite: (body) => ofFile(body, (r) => (r.live = true)),
    });
    const again = await bob.client.sharedFiles.list(albumId);
    expect(again.rejected.map((r) => r.id)).toContain(fileId);
    await expect(bob.client.live.open(fileId, { albumId })).rejects.toBeDefined();
  });
});
