import type { FileMetadata } from "@umbra/client";
import { describe, expect, it } from "vitest";
import { originalCodecPlays, renditionLabel } from "./rendition-source.js";

describe("rendition-source", () => {
  it("labels a rendition by its video codec", () => {
    expect(renditionLabel({ mime: "video/mp4", codecs: "avc1.640028,mp4a.40.2" })).toBe("H.264");
    expect(renditionLabel({ mime: "video/webm", codecs: "vp09.00.10.08" })).toBe("VP9");
    expect(renditionLabel({ mime: "video/mp4" })).toBe("MP4");
  });

  it("knows from extra.videoCodec whether this browser plays the original", () => {
    const meta = (videoCodec?: string) =>
      ({
        name: "a.mp4",
        mime: "video/mp4",
        size: 1,
        ...(videoCodec ? { extra: { videoCodec } } : {}),
      }) as FileMetadata;
    // A browser like Debian's Chromium: H.264 yes, HEVC no.
    const canPlay = (type: string) => (type.includes("hvc1") ? "" : "probably");
    expect(originalCodecPlays(meta("hevc"), canPlay)).toBe(false);
    expect(originalCodecPlays(meta("h264"), canPlay)).toBe(true);
    expect(originalCodecPlays(meta("prores"), canPlay)).toBe(false);
    expect(originalCodecPlays(meta(), canPlay)).toBeUndefined();
  });
});
