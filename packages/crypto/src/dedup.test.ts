import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toBase64Url } from "./bytes.js";
import { contentDigest, createContentDigest, deriveDedupKey } from "./dedup.js";
import { InvalidInputError } from "./errors.js";
import { hkdfSha256 } from "./hkdf.js";
import { generateMasterKey } from "./master-key.js";

describe("dedup", () => {
  it("derives the key by HKDF with info umbra/v1/dedup", async () => {
    const master = generateMasterKey();
    const expected = await hkdfSha256(master, new Uint8Array(0), new TextEncoder().encode("umbra/v1/dedup"));
    expect(await deriveDedupKey(master)).toEqual(expected);
  });
  it("gives the same HMAC-SHA256 whatever the chunking", async () => {
    const key = await deriveDedupKey(generateMasterKey());
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }), async (chunks) => {
        const whole = new Uint8Array(chunks.flatMap((c) => [...c]));
        const expected = toBase64Url(hmac(sha256, key, whole));
        const incremental = createContentDigest(key);
        for (const chunk of chunks) incremental.update(chunk);
        expect(incremental.digest()).toBe(expected);
        expect(await contentDigest(key, whole)).toBe(expected);
        expect(await contentDigest(key, chunks)).toBe(expected);
        expect(await contentDigest(key, new Blob(chunks as BlobPart[]).stream())).toBe(expected);
      }),
      { numRuns: 30 },
    );
  });
  it("reads a byte stream through one reused buffer with the same result", async () => {
    const key = await deriveDedupKey(generateMasterKey());
    const content = Uint8Array.from({ length: 3_000_000 }, (_, i) => (i * 13) % 256);
    let offset = 0;
    let byobReads = 0;
    const stream = new ReadableStream({
      type: "bytes",
      pull(controller: ReadableByteStreamController) {
        const request = controller.byobRequest;
        if (request?.view) byobReads++;
        const n = Math.min(700_001, content.length - offset);
        if (n === 0) {
          controller.close();
          request?.respond(0);
          return;
        }
        if (request?.view) {
          const view = request.view as Uint8Array;
          const take = Math.min(n, view.byteLength);
          view.set(content.subarray(offset, offset + take));
          offset += take;
          request.respond(take);
        } else {
          controller.enqueue(content.slice(offset, offset + n));
          offset += n;
        }
      },
    });
    expect(await contentDigest(key, stream)).toBe(toBase64Url(hmac(sha256, key, content)));
    expect(byobReads).toBeGreaterThan(1);
  });

  it("differs between users and refuses reuse after digest()", async () => {
    const content = new Uint8Array([1, 2, 3]);
    const a = await contentDigest(await deriveDedupKey(generateMasterKey()), content);
    const b = await contentDigest(await deriveDedupKey(generateMasterKey()), content);
    expect(a).not.toBe(b);
    const digest = createContentDigest(await deriveDedupKey(generateMasterKey()));
    digest.digest();
    expect(() => digest.update(content)).toThrow(InvalidInputError);
  });
});
