import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRID_SIZE, mediaInfoFromExif, nodeMediaHooks } from "./media.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "umbra-media-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("media extraction", () => {
  it("maps exifr output to metadata fields, JSON-safe", () => {
    const info = mediaInfoFromExif({
      DateTimeOriginal: new Date("2020-05-06T07:08:09Z"),
      Make: "Canon",
      Model: "EOS",
      LensModel: "50mm",
      latitude: 1.5,
      longitude: -2.5,
      ExifImageWidth: 4000,
      ExifImageHeight: 3000,
      MakerNote: new Uint8Array([1, 2, 3]),
      Bad: Number.NaN,
    });
    expect(info).toMatchObject({
      takenAt: "2020-05-06T07:08:09.000Z",
      camera: { make: "Canon", model: "EOS" },
      lens: "50mm",
      gps: { lat: 1.5, lon: -2.5 },
      width: 4000,
      height: 3000,
    });
    expect(info.exif?.MakerNote).toBeUndefined();
    expect(info.exif?.Bad).toBeUndefined();
    expect(JSON.parse(JSON.stringify(info.exif))).toEqual(info.exif);
  });

  it("reads EXIF and makes grid and preview thumbnails from a real JPEG", async () => {
    const path = join(dir, "p.jpg");
    await sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#336699" } })
      .jpeg()
      .withExif({ IFD0: { Make: "Umbra" }, IFD2: { DateTimeOriginal: "2019:12:31 23:59:58" } })
      .toFile(path);
    const hooks = nodeMediaHooks(() => path);
    const result = await hooks.extract({
      name: "p.jpg",
      size: 1,
      localKey: path,
      mime: "image/jpeg",
      open: () => new Blob([]).stream(),
    });
    expect(result.info.takenAt).toBe("2019-12-31T23:59:58.000Z");
    expect(result.info.camera?.make).toBe("Umbra");
    const grid = await sharp(result.thumbnails!.grid).metadata();
    const preview = await sharp(result.thumbnails!.preview).metadata();
    expect([grid.width, grid.height, grid.format]).toEqual([GRID_SIZE, GRID_SIZE, "jpeg"]);
    expect([preview.width, preview.height, preview.format]).toEqual([1440, 960, "webp"]);
  });

  it("keeps an undecodable image with a note instead of failing", async () => {
    const path = join(dir, "broken.jpg");
    await writeFile(path, "not a jpeg");
    const result = await nodeMediaHooks(() => path).extract({
      name: "broken.jpg",
      size: 10,
      localKey: path,
      mime: "image/jpeg",
      open: () => new Blob([]).stream(),
    });
    expect(result.thumbnails).toBeNull();
    expect(result.note).toMatch(/no thumbnail/);
  });

  it("records a video's codecs and size, and says when browsers cannot all play it (HEVC)", async () => {
    const videos = [
      { name: "clip.mp4", codec: "libx264", expected: "h264" },
      { name: "clip-hevc.mp4", codec: "libx265", expected: "hevc" },
    ];
    for (const { name, codec, expected } of videos) {
      const path = join(dir, name);
      execFileSync("ffmpeg", [
        ...["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10"],
        ...["-t", "1", "-pix_fmt", "yuv420p", "-c:v", codec, path],
      ]);
      const result = await nodeMediaHooks(() => path).extract({
        name,
        size: 1,
        localKey: path,
        mime: "video/mp4",
        open: () => new Blob([]).stream(),
      });
      expect(result.info.extra?.videoCodec).toBe(expected);
      expect([result.info.width, result.info.height]).toEqual([320, 240]);
      expect(result.info.durationSec).toBeGreaterThan(0.5);
      expect(result.thumbnails).not.toBeNull();
      if (expected === "hevc") expect(result.note).toMatch(/umbra renditions/);
      else expect(result.note).toBeUndefined();
    }
  });
});
