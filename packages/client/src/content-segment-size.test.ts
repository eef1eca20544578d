import { DEFAULT_SEGMENT_SIZE, parseStreamHeader } from "@umbra/crypto/stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hooks,
  type MaliciousServer,
  photo,
  readFile,
  startMaliciousServer,
} from "../test/malicious-server/harness.js";
import { contentSegmentSize, VIDEO_SEGMENT_SIZE } from "./content-segment-size.js";

describe("contentSegmentSize", () => {
  it("gives video 64 KiB segments and everything else the default", () => {
    expect(VIDEO_SEGMENT_SIZE).toBe(64 * 1024);
    expect(VIDEO_SEGMENT_SIZE).toBeLessThan(DEFAULT_SEGMENT_SIZE);
    for (const mime of ["video/mp4", "video/webm", "video/quicktime", "Video/MP4"])
      expect(contentSegmentSize(mime)).toBe(VIDEO_SEGMENT_SIZE);
    for (const mime of ["image/jpeg", "application/octet-stream", "audio/mp4", "", "application/video"])
      expect(contentSegmentSize(mime)).toBe(DEFAULT_SEGMENT_SIZE);
  });
});

describe("the upload pipeline's segment size", { timeout: 60_000 }, () => {
  let server: MaliciousServer;
  beforeAll(async () => {
    server = await startMaliciousServer();
  }, 120_000);
  afterAll(() => server?.stop(), 60_000);

  it("follows the file's MIME type unless the caller chose one", async () => {
    const alice = await server.account("alice-segment-size@example.com");
    const still = photo("still.jpg", 3, 300_000);
    const clip = photo("clip.mp4", 5, 300_000);
    clip.source.mime = "video/mp4";
    const chosen = photo("chosen.mp4", 7, 300_000);
    chosen.source.mime = "video/mp4";
    const stored = async (upload: Promise<{ uploaded: { fileId: string }[] }>) => {
      const { uploaded } = await upload;
      expect(uploaded).toHaveLength(1);
      return parseStreamHeader(await readFile(await server.blobPath(uploaded[0]!.fileId))).segmentSize;
    };
    expect(await stored(alice.client.upload([still.source], hooks))).toBe(DEFAULT_SEGMENT_SIZE);
    expect(await stored(alice.client.upload([clip.source], hooks))).toBe(VIDEO_SEGMENT_SIZE);
    expect(await stored(alice.client.upload([chosen.source], hooks, { segmentSize: 128 * 1024 }))).toBe(
      128 * 1024,
    );
  });
});
