import { UmbraCryptoError } from "@umbra/crypto";
import { segmentRangeForBytes } from "@umbra/crypto/stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UmbraClientError } from "../../src/errors.js";
import {
  type Account,
  hooks,
  type MaliciousServer,
  photo,
  readFile,
  startMaliciousServer,
} from "./harness.js";
import type { RawAnswer } from "./lying-proxy.js";

/**
 * Ranged downloads (SPEC §6.4) against a server that ignores Range, answers other bytes, or lies in Content-Range:
 * `downloadRange` returns exactly the asked plaintext or fails with a typed code, never other bytes.
 */

const SEGMENT = 16 * 1024;
// 70,000 bytes pad to 71,680: four full 16 KiB segments and a short fifth one.
const video = photo("clip.mp4", 13);
const other = photo("other.mp4", 17);
const HEADER_RANGE = "bytes=0-46";

let server: MaliciousServer;
let alice: Account;
let fileId: string;
let otherId: string;
let blob: Buffer;
let otherBlob: Buffer;

/** Plaintext windows to read: within one segment, across segments, into the final (short) segment. */
const windows: [number, number][] = [
  [20_000, 20_099],
  [10_000, 40_000],
  [60_000, 69_999],
];

const parseRange = (header: string | string[] | undefined): [number, number] => {
  const match = /^bytes=(\d+)-(\d+)$/.exec(String(header));
  if (!match) throw new Error(`unexpected range ${header}`);
  return [Number(match[1]), Number(match[2])];
};

/** A lie about the content answers of ranges other than the 47-byte header. */
function lieAboutSegments(lie: {
  request?: (range: [number, number]) => string;
  respond?: (answer: RawAnswer, range: [number, number]) => RawAnswer;
}): void {
  server.proxy.lieRaw({
    method: "GET",
    path: `/api/files/${fileId}/content`,
    request: lie.request
      ? (headers) =>
          headers.range === HEADER_RANGE
            ? undefined
            : { ...headers, range: lie.request!(parseRange(headers.range)) }
      : undefined,
    respond: lie.respond
      ? (answer, exchange) =>
          exchange.requestHeaders.range === HEADER_RANGE
            ? undefined
            : lie.respond!(answer, parseRange(exchange.requestHeaders.range))
      : undefined,
  });
}

/** Reads the window: the right bytes, or the typed error (which must be the one expected). */
async function read([start, end]: [number, number]): Promise<{ bytes?: Uint8Array; error?: unknown }> {
  try {
    return { bytes: await alice.client.downloadRange(fileId, start, end) };
  } catch (error) {
    return { error };
  }
}

function expectRefused(outcome: { bytes?: Uint8Array; error?: unknown }, code: string): void {
  expect(outcome.bytes).toBeUndefined();
  expect(outcome.error).toBeInstanceOf(code === "INVALID_RESPONSE" ? UmbraClientError : UmbraCryptoError);
  expect(outcome.error).toMatchObject({ code });
}

const truth = ([start, end]: [number, number]) => Buffer.from(video.bytes.subarray(start, end + 1));

describe("malicious server: ranged downloads are exact or refused", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    server = await startMaliciousServer();
    alice = await server.account("alice-range@example.com");
    const summary = await alice.client.upload([video.source, other.source], hooks, { segmentSize: SEGMENT });
    fileId = summary.uploaded.find((u) => u.source === video.source)!.fileId;
    otherId = summary.uploaded.find((u) => u.source === other.source)!.fileId;
    blob = await readFile(await server.blobPath(fileId));
    otherBlob = await readFile(await server.blobPath(otherId));
    expect(blob.length).toBe(otherBlob.length);
  }, 120_000);

  afterEach(() => server.proxy.truthful());

  afterAll(() => server?.stop(), 60_000);

  it("an honest server serves each window exactly (the control)", async () => {
    for (const window of windows) expect(Buffer.from((await read(window)).bytes!)).toEqual(truth(window));
  });

  it("Range ignored: 200 with the whole blob → INVALID_RESPONSE", async () => {
    server.proxy.lieRaw({
      method: "GET",
      path: `/api/files/${fileId}/content`,
      request: (headers) => {
        const { range: _, ...rest } = headers;
        return rest;
      },
    });
    for (const window of windows) expectRefused(await read(window), "INVALID_RESPONSE");
  });

  it("Range ignored but answered 206: the whole blob under a Content-Range for the asked bytes → INVALID_INPUT", async () => {
    lieAboutSegments({
      respond: (answer, [a, b]) => ({
        status: 206,
        headers: { ...answer.headers, "content-range": `bytes ${a}-${b}/${blob.length}` },
        body: blob,
      }),
    });
    for (const window of windows) expectRefused(await read(window), "INVALID_INPUT");
  });

  it("another range of the same length (one segment later or earlier) → TAMPERED", async () => {
    const stride = SEGMENT + 16;
    lieAboutSegments({
      request: ([a, b]) =>
        a >= stride * 2 ? `bytes=${a - stride}-${b - stride}` : `bytes=${a + stride}-${b + stride}`,
    });
    for (const window of windows) expectRefused(await read(window), "TAMPERED");
  });

  it("a shorter range than asked → TRUNCATED", async () => {
    lieAboutSegments({ request: ([a, b]) => `bytes=${a}-${b - 100}` });
    for (const window of windows) expectRefused(await read(window), "TRUNCATED");
  });

  it("the header of another file's blob → TAMPERED", async () => {
    server.proxy.lieRaw({
      method: "GET",
      path: `/api/files/${fileId}/content`,
      respond: (answer, exchange) =>
        exchange.requestHeaders.range === HEADER_RANGE
          ? { ...answer, body: otherBlob.subarray(0, 47) }
          : undefined,
    });
    for (const window of windows) expectRefused(await read(window), "TAMPERED");
  });

  it("the same segments from another file's blob, under an honest-looking Content-Range → TAMPERED", async () => {
    lieAboutSegments({ respond: (answer, [a, b]) => ({ ...answer, body: otherBlob.subarray(a, b + 1) }) });
    for (const window of windows) expectRefused(await read(window), "TAMPERED");
  });

  it("one flipped bit in the asked bytes, Content-Range unchanged → TAMPERED", async () => {
    lieAboutSegments({
      respond: (answer) => {
        const body = Buffer.from(answer.body);
        body[body.length >> 1]! ^= 0x01;
        return { ...answer, body };
      },
    });
    for (const window of windows) expectRefused(await read(window), "TAMPERED");
  });

  it("the right bytes under a Content-Range that lies → exactly the right plaintext", async () => {
    lieAboutSegments({
      respond: (answer, [a, b]) => ({
        ...answer,
        headers: { ...answer.headers, "content-range": `bytes ${a + 1}-${b + 1}/${blob.length + 5}` },
      }),
    });
    const fired = server.proxy.fired();
    for (const window of windows) expect(Buffer.from((await read(window)).bytes!)).toEqual(truth(window));
    expect(server.proxy.fired()).toBeGreaterThanOrEqual(fired + windows.length);
  });

  it("an answer cut off mid-way → TRUNCATED", async () => {
    lieAboutSegments({ respond: (answer) => ({ ...answer, cutAfter: answer.body.length >> 1 }) });
    for (const window of windows) expectRefused(await read(window), "TRUNCATED");
  });

  it("the layout the lies rely on: windows map to the segments the SDK fetches", () => {
    // Guards the test itself: the second window spans segments 0..2, the third ends in the final segment.
    expect(segmentRangeForBytes(10_000, 40_000, SEGMENT, 71_680)).toMatchObject({
      firstSegment: 0,
      lastSegment: 2,
    });
    expect(segmentRangeForBytes(60_000, 69_999, SEGMENT, 71_680)).toMatchObject({
      lastSegment: 4,
      includesFinalSegment: true,
      ciphertextEnd: blob.length - 1,
    });
  });
});
