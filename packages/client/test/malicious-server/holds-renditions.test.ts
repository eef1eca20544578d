import { createHash } from "node:crypto";
import { join } from "node:path";
import { UmbraCryptoError } from "@umbra/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RenditionSource } from "../../src/rendition.js";
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
 * The server holds each video's rendition (SPEC §6.10) as one more blob. Moving blobs between places (the content,
 * another file's rendition) must fail authentication, and a rendition served at another length than the metadata
 * promises must be refused before a byte of it is used.
 */

// Content and renditions of the same plaintext size and segment size: the blobs are the same length, so only
// the associated data and the key can tell them apart.
const SIZE = 90_000;

function rendition(seed: number): { source: RenditionSource; bytes: Uint8Array } {
  const bytes = Uint8Array.from({ length: SIZE }, (_, i) => (i * seed + 11) % 241);
  return {
    bytes,
    source: {
      size: SIZE,
      mime: "video/mp4",
      open: () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(),
    },
  };
}

let server: MaliciousServer;
let alice: Account;
let fileId: string;
let otherId: string;
let mine: ReturnType<typeof rendition>;
let original: Buffer;

async function renditionPath(id: string): Promise<string> {
  const [row] = server.sql<{ blob_key: string }>("select blob_key from files where id = ?", id);
  const blobId = `${row!.blob_key}.rendition`;
  const hash = createHash("sha256").update(blobId).digest("hex");
  return join(server.dataDir, "blobs", hash.slice(0, 2), hash.slice(2, 4), blobId);
}

/** Every way of reading the rendition fails with `code`, releasing only a prefix of the true bytes. */
async function expectRefused(code: string): Promise<void> {
  let error: unknown;
  let bytes: Buffer = Buffer.alloc(0);
  try {
    const { stream } = await alice.client.renditions.download(fileId);
    ({ bytes, error } = await drain(stream));
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(UmbraCryptoError);
  expect(error).toMatchObject({ code });
  expect(bytes.equals(Buffer.from(mine.bytes.subarray(0, bytes.length)))).toBe(true);
  expect(bytes.length).toBeLessThan(SIZE);
  await expect(alice.client.renditions.read(fileId, 0, 99)).rejects.toMatchObject({ code });
  await expect(alice.client.renditions.read(fileId, SIZE - 10, SIZE - 1)).rejects.toMatchObject({ code });
}

describe("malicious server: moved or resized renditions are refused", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    server = await startMaliciousServer();
    alice = await server.account("alice-renditions@example.com");
    const video = (name: string, seed: number) => ({ ...photo(name, seed, SIZE).source, mime: "video/mp4" });
    const summary = await alice.client.upload([video("a.mp4", 3), video("b.mp4", 5)], hooks);
    [fileId, otherId] = summary.uploaded.map((u) => u.fileId) as [string, string];
    mine = rendition(7);
    await alice.client.renditions.add(fileId, mine.source);
    await alice.client.renditions.add(otherId, rendition(9).source);
    original = await readFile(await renditionPath(fileId));
    expect((await readFile(await server.blobPath(fileId))).length).toBe(original.length);
    expect((await readFile(await renditionPath(otherId))).length).toBe(original.length);
  }, 120_000);

  afterEach(async () => {
    if (original) await writeFile(await renditionPath(fileId), original);
  });
  afterAll(() => server?.stop(), 60_000);

  it("the untouched rendition reads to the exact bytes (the control)", async () => {
    const { stream } = await alice.client.renditions.download(fileId);
    const { bytes, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(bytes.equals(Buffer.from(mine.bytes))).toBe(true);
    expect(Buffer.from(await alice.client.renditions.read(fileId, 100, 199))).toEqual(
      Buffer.from(mine.bytes.subarray(100, 200)),
    );
  });

  it("the file's own content served as its rendition → TAMPERED (distinct associated data)", async () => {
    await writeFile(await renditionPath(fileId), await readFile(await server.blobPath(fileId)));
    await expectRefused("TAMPERED");
  });

  it("another file's rendition served as this one's → TAMPERED", async () => {
    await writeFile(await renditionPath(fileId), await readFile(await renditionPath(otherId)));
    await expectRefused("TAMPERED");
  });

  it("a rendition shorter than its metadata says → TRUNCATED; longer → TAMPERED; before any byte is used", async () => {
    await writeFile(await renditionPath(fileId), original.subarray(0, original.length - 16));
    await expectRefused("TRUNCATED");
    await expect(alice.client.renditions.mediaStream(fileId)).rejects.toMatchObject({ code: "TRUNCATED" });
    await writeFile(await renditionPath(fileId), Buffer.concat([original, Buffer.alloc(16)]));
    await expectRefused("TAMPERED");
    await expect(alice.client.renditions.mediaStream(fileId)).rejects.toMatchObject({ code: "TAMPERED" });
  });
});
