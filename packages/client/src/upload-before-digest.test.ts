import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { contentDigest, padmeLength } from "@umbra/crypto";
import { ciphertextLength, DEFAULT_SEGMENT_SIZE, STREAM_HEADER_LENGTH } from "@umbra/crypto/stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../test/server-process.js";
import { UmbraClient } from "./client.js";
import type { MediaHooks, UploadSource } from "./metadata.js";
import { gateAfter, prefixBytesOf, prefixDigestOf } from "./upload-before-digest.js";

const MIB = 1024 * 1024;
/** AES-GCM tag per segment (SPEC §6). */
const TAG_LENGTH = 16;

describe("gateAfter", () => {
  it("passes the first bytes at once and the rest only once opened", async () => {
    let open!: () => void;
    const gate = gateAfter(5, new Promise<void>((resolve) => (open = resolve)));
    const writer = gate.writable.getWriter();
    const reader = gate.readable.getReader();
    void writer.write(Uint8Array.of(1, 2, 3));
    void writer.write(Uint8Array.of(4, 5, 6, 7));
    expect([...(await reader.read()).value!]).toEqual([1, 2, 3]);
    expect([...(await reader.read()).value!]).toEqual([4, 5]);
    const rest = reader.read();
    const raced = await Promise.race([rest, Promise.resolve("held")]);
    expect(raced).toBe("held");
    open();
    expect([...(await rest).value!]).toEqual([6, 7]);
  });

  it("fails the stream when the digest it waits for fails", async () => {
    const gate = gateAfter(1, Promise.reject(new Error("unreadable")));
    const writer = gate.writable.getWriter();
    const reader = gate.readable.getReader();
    void writer.write(Uint8Array.of(1, 2)).catch(() => undefined);
    expect([...(await reader.read()).value!]).toEqual([1]);
    await expect(reader.read()).rejects.toThrow("unreadable");
  });

  it("digests a prefix: keyed, changed by any byte of it, blind to the bytes after it", async () => {
    const bytes = Uint8Array.from({ length: 9 * MIB + 5 }, (_, i) => (i * 31) % 251);
    const of = (content: Uint8Array) => ({
      name: "x",
      size: content.length,
      localKey: "x",
      open: () => new Blob([content as Uint8Array<ArrayBuffer>]).stream(),
    });
    const key = new Uint8Array(32).fill(1);
    const prefix = 8 * MIB + 3;
    const digest = await prefixDigestOf(key, of(bytes), prefix);
    expect(digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const after = bytes.slice();
    after[prefix] = after[prefix]! ^ 1;
    expect(await prefixDigestOf(key, of(after), prefix)).toBe(digest);
    for (const at of [0, 4 * MIB, prefix - 1]) {
      const changed = bytes.slice();
      changed[at] = changed[at]! ^ 1;
      expect(await prefixDigestOf(key, of(changed), prefix)).not.toBe(digest);
    }
    expect(await prefixDigestOf(key, of(bytes), prefix - 1)).not.toBe(digest);
    expect(await prefixDigestOf(new Uint8Array(32).fill(2), of(bytes), prefix)).not.toBe(digest);
  });

  it("sends a quarter of a large file before its digest, at least the resumable minimum", () => {
    expect(prefixBytesOf(512 * MIB, 16 * MIB)).toBe(128 * MIB);
    expect(prefixBytesOf(24 * MIB, 16 * MIB)).toBe(16 * MIB);
    expect(prefixBytesOf(10 * MIB, 16 * MIB)).toBe(10 * MIB);
  });
});

const hooks: MediaHooks = { extract: async () => ({ info: {}, thumbnails: null }) };

describe("an upload sent before its digest was known", { timeout: 240_000 }, () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let client: UmbraClient;
  beforeAll(async () => {
    server = await startServer();
    client = new UmbraClient({ serverUrl: server.url });
    await client.signup("before-digest@example.com", "before digest password");
  }, 180_000);
  afterAll(() => server?.stop(), 60_000);

  const size = 24 * MIB;
  const prefix = prefixBytesOf(size, 16 * MIB);
  // The encryptor holds back the last whole segment of the prefix until it knows more follows, and with 1 MiB
  // PATCHes only whole MiBs of that reach the server.
  const stalledAt =
    Math.floor(
      (STREAM_HEADER_LENGTH + (prefix / DEFAULT_SEGMENT_SIZE - 1) * (DEFAULT_SEGMENT_SIZE + TAG_LENGTH)) /
        MIB,
    ) * MIB;
  const prefixCiphertext =
    STREAM_HEADER_LENGTH + (prefix / DEFAULT_SEGMENT_SIZE) * (DEFAULT_SEGMENT_SIZE + TAG_LENGTH);

  /** A source whose digest (as the CLI's worker would give it) is held until `release`. */
  function heldSource(bytes: Uint8Array): { source: UploadSource; release: () => void } {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const source: UploadSource = {
      name: "clip.bin",
      size: bytes.length,
      mime: "application/octet-stream",
      localKey: "clip.bin",
      open: () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(),
      digest: async (key) => {
        const digest = await contentDigest(key, bytes);
        await held;
        return digest;
      },
    };
    return { source, release };
  }

  async function partialUploads(): Promise<Map<string, number>> {
    const dir = join(server.dataDir, "uploads");
    const sizes = new Map<string, number>();
    for (const name of await readdir(dir).catch(() => [] as string[]))
      if (!name.endsWith(".json")) sizes.set(name, (await stat(join(dir, name))).size);
    return sizes;
  }

  /** Starts the upload with its digest held, cuts it once the server holds the prefix, returns what it held. */
  async function interruptAtPrefix(bytes: Uint8Array): Promise<number> {
    const before = new Set((await partialUploads()).keys());
    const { source } = heldSource(bytes);
    const controller = new AbortController();
    const running = client.upload([source], hooks, { chunkSize: MIB, signal: controller.signal });
    let held = 0;
    while (held < stalledAt) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const [name, bytesHeld] of await partialUploads()) if (!before.has(name)) held = bytesHeld;
    }
    controller.abort();
    await running.catch(() => undefined);
    for (const [name, bytesHeld] of await partialUploads()) if (!before.has(name)) held = bytesHeld;
    return held;
  }

  const file = (seed: number, length = size) =>
    Uint8Array.from({ length }, (_, i) => (i * seed + (i >> 11)) % 256);

  it("sends no more than the prefix until the digest is recorded, and a re-run resumes it", async () => {
    expect(ciphertextLength(padmeLength(size), DEFAULT_SEGMENT_SIZE)).toBeGreaterThan(prefixCiphertext);
    const bytes = file(7);
    const held = await interruptAtPrefix(bytes);
    expect(held).toBeGreaterThanOrEqual(stalledAt);
    expect(held).toBeLessThanOrEqual(prefixCiphertext);

    const again = heldSource(bytes);
    again.release();
    const events: { type: string; offset?: number }[] = [];
    const summary = await client.upload([again.source], hooks, { onEvent: (e) => events.push(e) });
    expect(events.find((e) => e.type === "resumed")?.offset).toBe(held);
    const { stream } = await client.download(summary.uploaded[0]!.fileId);
    expect(Buffer.from(await new Response(stream).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("starts over when the prefix it sent has changed since", async () => {
    // Another size: a file the size of one in the library waits for its digest (it may be a copy).
    const bytes = file(11, size + MIB);
    expect(await interruptAtPrefix(bytes)).toBeGreaterThanOrEqual(stalledAt);
    const changed = bytes.slice();
    changed[1000] = (changed[1000]! + 1) % 256;
    const again = heldSource(changed);
    again.release();
    const events: string[] = [];
    const summary = await client.upload([again.source], hooks, { onEvent: (e) => events.push(e.type) });
    expect(events).not.toContain("resumed");
    const { stream } = await client.download(summary.uploaded[0]!.fileId);
    expect(Buffer.from(await new Response(stream).arrayBuffer()).equals(changed)).toBe(true);
  });
});
