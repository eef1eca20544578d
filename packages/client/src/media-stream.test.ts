import { createEncryptStream, decryptSegmentWithKey, parseStreamHeader } from "@umbra/crypto/stream";
import { describe, expect, it } from "vitest";
import { HttpTransport } from "./http.js";
import { contentAssociatedData } from "./keys.js";
import { openMediaStream } from "./media-stream.js";

const FILE_ID = "f_BBBBBBBBBBBBBBBBBBBBBB";
const S = 16 * 1024;

async function encrypted(fileKey: Uint8Array, bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(
      createEncryptStream(fileKey, { associatedData: contentAssociatedData(FILE_ID), segmentSize: S }),
    );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A server holding `blob` that answers Range requests (or ignores them), recording what it was asked. */
function transport(blob: Uint8Array, options: { ignoreRange?: boolean } = {}) {
  const asked: { url: string; range: string | null; auth: string | null }[] = [];
  const http = new HttpTransport({
    serverUrl: "https://umbra.test",
    token: "tok",
    fetch: async (input, init) => {
      const headers = new Headers(init?.headers);
      asked.push({ url: String(input), range: headers.get("range"), auth: headers.get("authorization") });
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(headers.get("range") ?? "") ?? [];
      if (options.ignoreRange || a === undefined) return new Response(blob as BodyInit, { status: 200 });
      return new Response(blob.slice(Number(a), Number(b) + 1) as BodyInit, { status: 206 });
    },
  });
  return { http, asked };
}

describe("openMediaStream", () => {
  it("fetches only the header and hands out a non-extractable subkey that opens the segments", async () => {
    const fileKey = crypto.getRandomValues(new Uint8Array(32));
    const plaintext = crypto.getRandomValues(new Uint8Array(S + 100));
    const blob = await encrypted(fileKey, plaintext);
    const { http, asked } = transport(blob);
    const path = `/api/files/${FILE_ID}/content`;
    const source = await openMediaStream({ http, path, anonymous: false }, fileKey, {
      id: FILE_ID,
      contentSize: blob.length,
      size: plaintext.length,
      mime: "video/mp4",
    });
    expect(asked).toEqual([{ url: `https://umbra.test${path}`, range: "bytes=0-46", auth: "Bearer tok" }]);
    expect(source).toMatchObject({
      fileId: FILE_ID,
      contentUrl: `https://umbra.test${path}`,
      headers: { authorization: "Bearer tok" },
      ciphertextLength: blob.length,
      plaintextLength: plaintext.length,
    });
    expect(source.key.extractable).toBe(false);
    expect(source.key.usages).not.toContain("wrapKey");
    const header = parseStreamHeader(source.header);
    const first = await decryptSegmentWithKey(
      source.key,
      header.noncePrefix,
      0,
      false,
      blob.slice(47, 47 + S + 16),
    );
    expect(first).toEqual(plaintext.subarray(0, S));
  });

  it("a public link sends no token; a server that ignores the Range is refused", async () => {
    const fileKey = crypto.getRandomValues(new Uint8Array(32));
    const blob = await encrypted(fileKey, new Uint8Array(10));
    const link = transport(blob);
    const file = { id: FILE_ID, contentSize: blob.length, size: 10, mime: "video/mp4" };
    const source = await openMediaStream({ http: link.http, path: "/x", anonymous: true }, fileKey, file);
    expect(source.headers).toEqual({});
    expect(link.asked[0]?.auth).toBeNull();
    const ignoring = transport(blob, { ignoreRange: true });
    await expect(
      openMediaStream({ http: ignoring.http, path: "/x", anonymous: false }, fileKey, file),
    ).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });
});
