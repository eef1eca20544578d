import { contentAssociatedData } from "@umbra/client";
import { padmeLength } from "@umbra/crypto";
import { createEncryptStream, deriveStreamKey, parseStreamHeader } from "@umbra/crypto/stream";
import { beforeAll, describe, expect, it } from "vitest";
import { parseRange } from "./byte-range.js";
import {
  answerRange,
  type FetchCiphertext,
  type MediaFailure,
  OPEN_ENDED_WINDOW,
  type RangeSource,
} from "./range-response.js";

const S = 16 * 1024;
const FILE_ID = "f_AAAAAAAAAAAAAAAAAAAAAA";
// Not a multiple of S, and padded (padmeLength) to more than its size: the padding must never be served.
const SIZE = 5 * S + 1234;

let plaintext: Uint8Array;

/** Distinct bytes everywhere (getRandomValues gives at most 64 KiB per call). */
function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >>> 8) * 7 + seed) & 0xff;
  return out;
}
let ciphertext: Uint8Array;
let source: RangeSource;

async function encrypt(bytes: Uint8Array, fileKey: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(
    createEncryptStream(fileKey, {
      associatedData: contentAssociatedData(FILE_ID),
      segmentSize: S,
      padToLength: padmeLength(bytes.length),
    }),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

beforeAll(async () => {
  plaintext = pattern(SIZE, 1);
  const fileKey = crypto.getRandomValues(new Uint8Array(32));
  ciphertext = await encrypt(plaintext, fileKey);
  const header = parseStreamHeader(ciphertext);
  source = {
    key: await deriveStreamKey(fileKey, header, contentAssociatedData(FILE_ID)),
    header: header.bytes,
    ciphertextLength: ciphertext.length,
    plaintextLength: SIZE,
    mime: "video/mp4",
  };
  expect(padmeLength(SIZE)).toBeGreaterThan(SIZE);
});

/** toEqual walks a typed array element by element: seconds for a few MB. */
function expectSameBytes(actual: ArrayBuffer, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.length);
  expect(Buffer.from(actual).equals(expected)).toBe(true);
}

function flip(bytes: Uint8Array, at: number): void {
  bytes[at] = (bytes[at] as number) ^ 0x01;
}

/** A server holding `blob`: answers Range requests in odd-sized chunks, pulled lazily; counts what it sent. */
function server(blob: Uint8Array) {
  const log = { requests: [] as string[], bytesSent: 0 };
  const fetch = async (start: number, end: number) => {
    log.requests.push(`${start}-${end}`);
    let at = start;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (at > end) return controller.close();
          const chunk = blob.slice(at, Math.min(end + 1, at + 7777));
          at += chunk.length;
          log.bytesSent += chunk.length;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: 206 });
  };
  return { fetch, log };
}

async function get(range: string | null, blob = ciphertext) {
  const { fetch, log } = server(blob);
  const failures: MediaFailure[] = [];
  const response = await answerRange(range, source, fetch, (f) => failures.push(f));
  return { response, log, failures };
}

describe("parseRange", () => {
  it("reads the three forms and clamps the end", () => {
    expect(parseRange("bytes=0-0", 10)).toEqual({ start: 0, end: 0, openEnded: false });
    expect(parseRange("bytes=3-", 10)).toEqual({ start: 3, end: 9, openEnded: true });
    expect(parseRange("bytes=-4", 10)).toEqual({ start: 6, end: 9, openEnded: false });
    expect(parseRange("bytes=-40", 10)).toEqual({ start: 0, end: 9, openEnded: false });
    expect(parseRange("bytes=5-400", 10)).toEqual({ start: 5, end: 9, openEnded: false });
  });
  it("416 for a start past the end, whole file for what it ignores", () => {
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 10)).toBe("unsatisfiable");
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange("bytes=0-1,4-5", 10)).toBeNull();
    expect(parseRange("items=0-1", 10)).toBeNull();
    expect(parseRange("bytes=5-2", 10)).toBeNull();
  });
});

describe("answerRange", () => {
  const cases: [string, number, number][] = [
    ["bytes=0-0", 0, 0],
    ["bytes=0-", 0, SIZE - 1],
    [`bytes=${S - 10}-${S + 10}`, S - 10, S + 10],
    [`bytes=${S}-${2 * S - 1}`, S, 2 * S - 1],
    [`bytes=${2 * S - 1}-${4 * S + 7}`, 2 * S - 1, 4 * S + 7],
    ["bytes=-500", SIZE - 500, SIZE - 1],
    [`bytes=${SIZE - 1}-${SIZE - 1}`, SIZE - 1, SIZE - 1],
    [`bytes=${SIZE - 1}-`, SIZE - 1, SIZE - 1],
    [`bytes=${SIZE - 100}-${SIZE + 100_000}`, SIZE - 100, SIZE - 1],
    [`bytes=${3 * S + 5}-`, 3 * S + 5, SIZE - 1],
  ];
  it.each(cases)("%s → 206 with exactly those plaintext bytes and the true size", async (range, a, b) => {
    const { response, log, failures } = await get(range);
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes ${a}-${b}/${SIZE}`);
    expect(response.headers.get("content-length")).toBe(String(b - a + 1));
    expect(response.headers.get("content-type")).toBe("video/mp4");
    const body = new Uint8Array(await response.arrayBuffer());
    expect(body).toEqual(plaintext.subarray(a, b + 1));
    expect(log.requests).toHaveLength(1);
    expect(failures).toEqual([]);
  });

  it("no Range header: 200 with the whole true size, not the padding", async () => {
    const { response } = await get(null);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(SIZE));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(plaintext);
  });

  it("an open-ended request on a large file is answered with one window, ending on a segment boundary", async () => {
    const fileKey = crypto.getRandomValues(new Uint8Array(32));
    const size = OPEN_ENDED_WINDOW + 3 * S + 99;
    const bytes = pattern(size, 3);
    const blob = await encrypt(bytes, fileKey);
    const header = parseStreamHeader(blob);
    const large: RangeSource = {
      key: await deriveStreamKey(fileKey, header, contentAssociatedData(FILE_ID)),
      header: header.bytes,
      ciphertextLength: blob.length,
      plaintextLength: size,
      mime: "video/mp4",
    };
    const { fetch, log } = server(blob);
    const first = await answerRange(`bytes=${S + 7}-`, large, fetch);
    const end = S + OPEN_ENDED_WINDOW - 1;
    expect(first.headers.get("content-range")).toBe(`bytes ${S + 7}-${end}/${size}`);
    expectSameBytes(await first.arrayBuffer(), bytes.subarray(S + 7, end + 1));
    // The browser asks again from there; the rest comes to the true end.
    const rest = await answerRange(`bytes=${end + 1}-`, large, fetch);
    expect(rest.headers.get("content-range")).toBe(`bytes ${end + 1}-${size - 1}/${size}`);
    expectSameBytes(await rest.arrayBuffer(), bytes.subarray(end + 1));
    // An explicit end is answered exactly, however long.
    const whole = await answerRange(`bytes=0-${size - 1}`, large, fetch);
    expect(whole.headers.get("content-length")).toBe(String(size));
    expect(log.requests).toHaveLength(3);
  });

  it("a start past the end → 416 with the true size, nothing fetched", async () => {
    for (const range of [`bytes=${SIZE}-`, `bytes=${SIZE + 5}-${SIZE + 9}`]) {
      const { response, log } = await get(range);
      expect(response.status).toBe(416);
      expect(response.headers.get("content-range")).toBe(`bytes */${SIZE}`);
      expect(log.requests).toEqual([]);
    }
  });

  it("fetches only the covering segments, and lazily: a cancelled open-ended request stops the upstream", async () => {
    const { response, log } = await get(`bytes=${2 * S + 3}-`);
    expect(log.requests).toEqual([`${47 + 2 * (S + 16)}-${ciphertext.length - 1}`]);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value).toEqual(plaintext.subarray(2 * S + 3, 3 * S));
    await reader.cancel();
    // One segment was verified before the answer; a second at most is in flight.
    expect(log.bytesSent).toBeLessThan(2 * (S + 16) + 1000);
  });

  it("a tampered first segment: 502, TAMPERED reported, no byte released", async () => {
    const bad = ciphertext.slice();
    flip(bad, 47 + S + 16 + 100); // segment 1
    const { response, failures } = await get(`bytes=${S + 5}-${3 * S}`, bad);
    expect(response.status).toBe(502);
    expect(response.headers.get("umbra-error")).toBe("TAMPERED");
    expect(await response.arrayBuffer()).toHaveProperty("byteLength", 0);
    expect(failures).toEqual([expect.objectContaining({ kind: "integrity", code: "TAMPERED" })]);
  });

  it("a tampered later segment: the authentic segments before it, then an error, never its bytes", async () => {
    const bad = ciphertext.slice();
    flip(bad, 47 + 3 * (S + 16) + 5); // segment 3
    const { response, failures } = await get("bytes=0-", bad);
    expect(response.status).toBe(206);
    const reader = response.body!.getReader();
    const received: Uint8Array[] = [];
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received.push(value);
        }
      })(),
    ).rejects.toMatchObject({ code: "TAMPERED" });
    const got = new Uint8Array(await new Blob(received as BlobPart[]).arrayBuffer());
    expect(got).toEqual(plaintext.subarray(0, 3 * S));
    expect(failures).toEqual([expect.objectContaining({ code: "TAMPERED" })]);
  });

  it("the final segment opens only as final: a blob cut at a segment boundary is TRUNCATED (502)", async () => {
    const segments = Math.ceil(padmeLength(SIZE) / S);
    const cut = ciphertext.slice(0, 47 + (segments - 1) * (S + 16));
    const response = await answerRange(
      "bytes=-10",
      { ...source, ciphertextLength: cut.length, plaintextLength: Math.min(SIZE, (segments - 1) * S) },
      server(cut).fetch,
    );
    expect(response.status).toBe(502);
    expect(response.headers.get("umbra-error")).toBe("TRUNCATED");
  });

  it("a media request dropped before its answer aborts the upstream request, and reports no failure", async () => {
    const dropped = new AbortController();
    const failures: MediaFailure[] = [];
    // A server that never answers: only the abort ends the wait.
    const slow: FetchCiphertext = (_a, _b, signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
      );
    const answer = answerRange("bytes=0-", source, slow, (f) => failures.push(f), dropped.signal);
    dropped.abort();
    expect((await answer).status).toBe(502);
    expect(failures).toEqual([]);
  });

  it("a body the browser cancels mid-segment reports no failure", async () => {
    const failures: MediaFailure[] = [];
    let pulls = 0;
    let upstreamAborted = false;
    let stalled = () => {};
    const reachedStall = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    // Upstream sends the first segment, then stalls until aborted.
    const stalling: FetchCiphertext = async (start, _end, signal) => {
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulls++;
            if (pulls === 1) return controller.enqueue(ciphertext.slice(start, start + S + 16));
            stalled();
            return new Promise<void>((_resolve, reject) =>
              signal.addEventListener("abort", () => {
                upstreamAborted = true;
                reject(new DOMException("aborted", "AbortError"));
              }),
            );
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { status: 206 });
    };
    const response = await answerRange("bytes=0-", source, stalling, (f) => failures.push(f));
    const reader = response.body!.getReader();
    await reader.read();
    const pending = reader.read();
    await reachedStall; // Its pull now waits on the stalled upstream.
    await reader.cancel();
    await pending.catch(() => {});
    expect(upstreamAborted).toBe(true);
    // Let the pull that was waiting settle (its rejection runs in the following tasks) before looking.
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual([]);
  });

  it("a server that refuses passes its status on; one that ignores the Range is refused", async () => {
    const refused = await answerRange("bytes=0-", source, async () => new Response(null, { status: 403 }));
    expect(refused.status).toBe(403);
    const ignored = await answerRange(
      "bytes=0-",
      source,
      async () => new Response(ciphertext as BodyInit, { status: 200 }),
    );
    expect(ignored.status).toBe(502);
    const broken = await answerRange("bytes=0-", source, async () => new Response(null, { status: 500 }));
    expect(broken.status).toBe(502);
    expect(broken.headers.get("umbra-error")).toBe("HTTP_500");
    const failures: MediaFailure[] = [];
    const down = await answerRange(
      "bytes=0-",
      source,
      () => Promise.reject(new TypeError("fetch failed")),
      (f) => failures.push(f),
    );
    expect(down.status).toBe(502);
    expect(failures).toEqual([{ kind: "network", message: "fetch failed" }]);
  });

  it("a body cut short mid-segment is TRUNCATED, not silently short", async () => {
    const failures: MediaFailure[] = [];
    const response = await answerRange(
      "bytes=0-",
      source,
      async () => new Response(ciphertext.slice(47, 47 + 3 * (S + 16) + 77), { status: 206 }),
      (f) => failures.push(f),
    );
    expect(response.status).toBe(206);
    await expect(response.arrayBuffer()).rejects.toMatchObject({ code: "TRUNCATED" });
    expect(failures).toEqual([expect.objectContaining({ code: "TRUNCATED" })]);
  });

  it("follows the segment size the header says", async () => {
    const fileKey = crypto.getRandomValues(new Uint8Array(32));
    const small = pattern(70_000, 2);
    const stream = new Blob([small as BlobPart]).stream().pipeThrough(
      createEncryptStream(fileKey, {
        associatedData: contentAssociatedData(FILE_ID),
        segmentSize: 64 * 1024,
      }),
    );
    const blob = new Uint8Array(await new Response(stream).arrayBuffer());
    const header = parseStreamHeader(blob);
    const other: RangeSource = {
      key: await deriveStreamKey(fileKey, header, contentAssociatedData(FILE_ID)),
      header: header.bytes,
      ciphertextLength: blob.length,
      plaintextLength: small.length,
      mime: "video/webm",
    };
    const response = await answerRange("bytes=65530-65545", other, server(blob).fetch);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(small.subarray(65530, 65546));
  });

  it("an empty file: 200 empty, and any range 416", async () => {
    const empty = { ...source, plaintextLength: 0 };
    expect((await answerRange(null, empty, server(ciphertext).fetch)).status).toBe(200);
    expect((await answerRange("bytes=0-0", empty, server(ciphertext).fetch)).status).toBe(416);
  });
});
