import { type CryptoErrorCode, UmbraCryptoError } from "@umbra/crypto";
import {
  ciphertextLength,
  parseStreamHeader,
  plaintextLengthFromCiphertextLength,
  STREAM_HEADER_LENGTH,
  segmentCount,
  segmentRangeForBytes,
} from "@umbra/crypto/stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Account,
  drain,
  hooks,
  type MaliciousServer,
  photo,
  readFile,
  startMaliciousServer,
  writeFile,
} from "./harness.js";

/**
 * The server edits a file's stored ciphertext (SPEC §6): every edit of the segmented stream must end the download
 * with the crypto package's typed error, and the bytes released before it must be a prefix of the true plaintext.
 */

const SEGMENT = 16 * 1024;
// 70,000 bytes pad to 71,680: four full 16 KiB segments and a short fifth one.
const mine = photo("segments.jpg", 3);
const other = photo("other.jpg", 5);

let server: MaliciousServer;
let alice: Account;
let fileId: string;
let otherId: string;
let original: Buffer;
let otherBlob: Buffer;

/** [start, end) of each ciphertext segment of a stored blob, from the crypto package's layout helpers. */
function segmentsOf(blob: Uint8Array): [number, number][] {
  const { segmentSize } = parseStreamHeader(blob);
  const streamLength = plaintextLengthFromCiphertextLength(blob.length, segmentSize);
  expect(ciphertextLength(streamLength, segmentSize)).toBe(blob.length);
  const out: [number, number][] = [];
  for (let i = 0; i < segmentCount(streamLength, segmentSize); i++) {
    const range = segmentRangeForBytes(i * segmentSize, i * segmentSize, segmentSize, streamLength);
    const end = range.includesFinalSegment ? blob.length : range.ciphertextEnd + 1;
    out.push([range.ciphertextStart, end]);
  }
  return out;
}

/** Stores `bytes` as the file's content blob, with a matching content_size (a consistent, lying server). */
async function storeContent(id: string, bytes: Uint8Array): Promise<void> {
  await writeFile(await server.blobPath(id), bytes);
  server.sql("update files set content_size = ? where id = ?", bytes.length, id);
}

/** Downloads the file: it must fail with `code`, having released only a prefix of the true bytes. */
async function expectRefused(code: CryptoErrorCode): Promise<void> {
  let error: unknown;
  let bytes: Buffer = Buffer.alloc(0);
  try {
    const { stream } = await alice.client.download(fileId);
    ({ bytes, error } = await drain(stream));
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(UmbraCryptoError);
  expect(error).toMatchObject({ code });
  expect(bytes.length).toBeLessThan(mine.bytes.length);
  expect(bytes.equals(Buffer.from(mine.bytes.subarray(0, bytes.length)))).toBe(true);
}

const concat = (...parts: Uint8Array[]) => Buffer.concat(parts);

describe("malicious server: edited content segments are refused", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    server = await startMaliciousServer();
    alice = await server.account("alice-segments@example.com");
    const summary = await alice.client.upload([mine.source, other.source], hooks, { segmentSize: SEGMENT });
    fileId = summary.uploaded.find((u) => u.source === mine.source)!.fileId;
    otherId = summary.uploaded.find((u) => u.source === other.source)!.fileId;
    original = await readFile(await server.blobPath(fileId));
    otherBlob = await readFile(await server.blobPath(otherId));
    expect(segmentsOf(original)).toHaveLength(5);
    expect(parseStreamHeader(original).segmentSize).toBe(SEGMENT);
  }, 120_000);

  afterEach(async () => {
    if (original) await storeContent(fileId, original);
  });

  afterAll(() => server?.stop(), 60_000);

  it("the untouched blob downloads to the exact bytes (the control)", async () => {
    const { stream } = await alice.client.download(fileId);
    const { bytes, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(bytes.equals(Buffer.from(mine.bytes))).toBe(true);
  });

  it("one flipped bit in a middle segment, in a tag, in the header's salt → TAMPERED", async () => {
    const [, , third] = segmentsOf(original);
    for (const at of [third![0] + 100, original.length - 1, 20]) {
      const edited = Buffer.from(original);
      edited[at]! ^= 0x01;
      await storeContent(fileId, edited);
      await expectRefused("TAMPERED");
    }
  });

  it("a changed segment-size field → TAMPERED; a changed magic or version byte → UNSUPPORTED_VERSION", async () => {
    const resized = Buffer.from(original);
    resized.writeUInt32BE(2 * SEGMENT, 4);
    await storeContent(fileId, resized);
    await expectRefused("TAMPERED");
    for (const at of [0, 3]) {
      const edited = Buffer.from(original);
      edited[at]! ^= 0x02;
      await storeContent(fileId, edited);
      await expectRefused("UNSUPPORTED_VERSION");
    }
  });

  it("two segments swapped → TAMPERED", async () => {
    const s = segmentsOf(original);
    const part = (i: number) => original.subarray(s[i]![0], s[i]![1]);
    await storeContent(
      fileId,
      concat(original.subarray(0, STREAM_HEADER_LENGTH), part(0), part(2), part(1), part(3), part(4)),
    );
    await expectRefused("TAMPERED");
  });

  it("the full segments reordered (rotated), or a middle segment dropped → TAMPERED", async () => {
    const s = segmentsOf(original);
    const part = (i: number) => original.subarray(s[i]![0], s[i]![1]);
    const header = original.subarray(0, STREAM_HEADER_LENGTH);
    await storeContent(fileId, concat(header, part(1), part(2), part(3), part(0), part(4)));
    await expectRefused("TAMPERED");
    await storeContent(fileId, concat(header, part(0), part(2), part(3), part(4)));
    await expectRefused("TAMPERED");
  });

  it("cut at a segment boundary (final segment, or all segments, dropped) → TRUNCATED", async () => {
    const s = segmentsOf(original);
    await storeContent(fileId, original.subarray(0, s[4]![0]));
    await expectRefused("TRUNCATED");
    await storeContent(fileId, original.subarray(0, s[2]![0]));
    await expectRefused("TRUNCATED");
    await storeContent(fileId, original.subarray(0, STREAM_HEADER_LENGTH));
    await expectRefused("TRUNCATED");
  });

  it("cut inside a segment → TAMPERED (it cannot be told from a modified final segment)", async () => {
    const s = segmentsOf(original);
    await storeContent(fileId, original.subarray(0, s[3]![0] + 1000));
    await expectRefused("TAMPERED");
  });

  it("extended with an extra segment, a repeated final segment or trailing bytes → TAMPERED", async () => {
    const s = segmentsOf(original);
    const part = (i: number) => original.subarray(s[i]![0], s[i]![1]);
    await storeContent(fileId, concat(original, part(1)));
    await expectRefused("TAMPERED");
    await storeContent(fileId, concat(original, part(4)));
    await expectRefused("TAMPERED");
    await storeContent(fileId, concat(original, Buffer.alloc(16)));
    await expectRefused("TAMPERED");
  });

  it("a segment, or the header, spliced in from another file's blob → TAMPERED", async () => {
    const s = segmentsOf(original);
    const t = segmentsOf(otherBlob);
    expect(t.map(([a, b]) => b - a)).toEqual(s.map(([a, b]) => b - a));
    const spliced = Buffer.from(original);
    otherBlob.copy(spliced, s[1]![0], t[1]![0], t[1]![1]);
    await storeContent(fileId, spliced);
    await expectRefused("TAMPERED");
    const foreignHeader = Buffer.from(original);
    otherBlob.copy(foreignHeader, 0, 0, STREAM_HEADER_LENGTH);
    await storeContent(fileId, foreignHeader);
    await expectRefused("TAMPERED");
    await storeContent(fileId, otherBlob);
    await expectRefused("TAMPERED");
  });

  it("an answer that announces the whole blob but stops at a segment boundary → a typed error", async () => {
    const s = segmentsOf(original);
    // The server stops sending (and closes the connection) where the final segment starts.
    const stop = server.proxy.lieRaw({
      method: "GET",
      path: `/api/files/${fileId}/content`,
      respond: (answer) => ({ ...answer, cutAfter: s[4]![0] }),
    });
    let error: unknown;
    let bytes: Buffer = Buffer.alloc(0);
    try {
      const { stream } = await alice.client.download(fileId);
      ({ bytes, error } = await drain(stream));
    } finally {
      stop();
    }
    expect(bytes.length).toBeLessThan(mine.bytes.length);
    expect(bytes.equals(Buffer.from(mine.bytes.subarray(0, bytes.length)))).toBe(true);
    // A cut answer is the transport's NETWORK error or the stream's TRUNCATED, not a bare TypeError.
    expect(error).toMatchObject({ code: expect.stringMatching(/^(NETWORK|TRUNCATED)$/) });
  });
});
