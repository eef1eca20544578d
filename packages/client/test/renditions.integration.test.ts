import {
  decryptSegmentWithKey,
  MIN_SEGMENT_SIZE,
  parseStreamHeader,
  STREAM_HEADER_LENGTH,
} from "@umbra/crypto/stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UmbraClient } from "../src/client.js";
import type { MediaStreamSource } from "../src/media-stream.js";
import { PublicLink } from "../src/public-link.js";
import { type RenditionSource, renditionCiphertextLength } from "../src/rendition.js";
import { startServer } from "./server-process.js";
import { collect, hooks, photo } from "./upload-fixtures.js";

/** Bytes standing in for an H.264 file: the SDK encrypts whatever the caller made. */
function rendition(seed: number, size: number): { source: RenditionSource; bytes: Uint8Array } {
  const bytes = Uint8Array.from({ length: size }, (_, i) => (i * seed + (i >> 9)) % 253);
  return {
    bytes,
    source: {
      size,
      mime: "video/mp4",
      codecs: "avc1.640028,mp4a.40.2",
      width: 1280,
      height: 720,
      open: () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(),
    },
  };
}

describe("renditions through the SDK", { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let client: UmbraClient;
  let fileId: string;

  beforeAll(async () => {
    server = await startServer();
    client = new UmbraClient({ serverUrl: server.url });
    await client.signup("renditions@example.com", "renditions correct horse");
    const video = { ...photo("clip.mov", 7, 50_000).source, mime: "video/quicktime" };
    fileId = (await client.upload([video], hooks)).uploaded[0]!.fileId;
  }, 120_000);
  afterAll(() => server?.stop(), 60_000);

  it("stores a rendition beside the original, described only in the encrypted metadata", async () => {
    expect(await client.renditions.info(fileId)).toBeUndefined();
    const { source, bytes } = rendition(3, 200_000);
    const info = await client.renditions.add(fileId, source, { segmentSize: MIN_SEGMENT_SIZE });
    expect(info).toEqual({
      mime: "video/mp4",
      size: 200_000,
      segmentSize: MIN_SEGMENT_SIZE,
      codecs: "avc1.640028,mp4a.40.2",
      width: 1280,
      height: 720,
    });
    // Another device learns it from the metadata alone.
    const other = new UmbraClient({ serverUrl: server.url });
    await other.login("renditions@example.com", "renditions correct horse");
    await other.library.sync();
    expect(await other.renditions.info(fileId)).toEqual(info);
    const { stream } = await other.renditions.download(fileId);
    expect((await collect(stream)).equals(Buffer.from(bytes))).toBe(true);
    // A range across segment boundaries, and the last byte.
    const middle = await other.renditions.read(fileId, 16_000, 50_000);
    expect(Buffer.from(middle).equals(Buffer.from(bytes.subarray(16_000, 50_001)))).toBe(true);
    expect(Array.from(await other.renditions.read(fileId, 199_999, 199_999))).toEqual([bytes[199_999]]);
    // The original is untouched.
    const original = await client.download(fileId);
    expect(original.length).toBe(50_000);
    // What the player gets: the rendition's own subkey and lengths, not the content's.
    const media = await other.renditions.mediaStream(fileId);
    expect(media).toMatchObject({
      fileId,
      plaintextLength: 200_000,
      ciphertextLength: renditionCiphertextLength(info),
      mime: "video/mp4",
    });
    expect(media.contentUrl).toBe(`${server.url}/api/files/${fileId}/rendition`);
    expect(media.key.extractable).toBe(false);
  });

  it("album members and public links stream it with the keys they hold", async () => {
    const album = await client.library.createAlbum("Clips");
    const shared = { ...photo("shared.mov", 11, 40_000).source, mime: "video/quicktime" };
    const sharedId = (await client.upload([shared], hooks, { albumId: album.id })).uploaded[0]!.fileId;
    const { source, bytes } = rendition(13, 70_000);
    await client.renditions.add(sharedId, source, { segmentSize: MIN_SEGMENT_SIZE });
    const bob = new UmbraClient({ serverUrl: server.url });
    await bob.signup("renditions-bob@example.com", "renditions bob correct horse");
    await client.sharing.share(album.id, "renditions-bob@example.com", "viewer");
    await client.sharedFiles.signOwn(album.id);

    /** The first segment, fetched and opened as the player's worker would, with the key it was handed. */
    const firstSegment = async (media: MediaStreamSource, headers: Record<string, string>) => {
      const end = STREAM_HEADER_LENGTH + MIN_SEGMENT_SIZE + 16 - 1;
      const response = await fetch(media.contentUrl, {
        headers: { ...headers, range: `bytes=${STREAM_HEADER_LENGTH}-${end}` },
      });
      const segment = new Uint8Array(await response.arrayBuffer());
      const { noncePrefix } = parseStreamHeader(media.header);
      return decryptSegmentWithKey(media.key, noncePrefix, 0, false, segment);
    };
    const asMember = await bob.renditions.sharedMediaStream(album.id, sharedId);
    expect(asMember.contentUrl).toBe(`${server.url}/api/files/${sharedId}/rendition`);
    expect(Buffer.from(await firstSegment(asMember, asMember.headers))).toEqual(
      Buffer.from(bytes.subarray(0, MIN_SEGMENT_SIZE)),
    );

    const link = await client.links.create({ fileId: sharedId }, { allowDownload: false });
    const visitor = await PublicLink.open(link.url);
    const viaLink = await visitor.renditionStream(sharedId);
    expect(viaLink.headers).toEqual({});
    expect(Buffer.from(await firstSegment(viaLink, {}))).toEqual(
      Buffer.from(bytes.subarray(0, MIN_SEGMENT_SIZE)),
    );
  });

  it("replaces and removes it; the account's used bytes follow", async () => {
    const usedBefore = (await client.account()).usedBytes;
    const { source, bytes } = rendition(5, 30_000);
    const info = await client.renditions.add(fileId, source);
    const { stream } = await client.renditions.download(fileId);
    expect((await collect(stream)).equals(Buffer.from(bytes))).toBe(true);
    const usedWith = (await client.account()).usedBytes;
    expect(usedWith).toBeLessThan(usedBefore);
    await client.renditions.remove(fileId);
    expect(await client.renditions.info(fileId)).toBeUndefined();
    expect((await client.account()).usedBytes).toBe(usedWith - renditionCiphertextLength(info));
    await expect(client.renditions.read(fileId, 0, 0)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
