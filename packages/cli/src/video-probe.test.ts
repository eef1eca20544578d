import { describe, expect, it } from "vitest";
import { browsersCanPlay, fromFfprobe, mp4Codecs, videoCodecExtra } from "./video-probe.js";

const MP4 = "mov,mp4,m4a,3gp,3g2,mj2";

describe("video-probe", () => {
  it("reads ffprobe's first video and audio streams and the container", () => {
    const probe = fromFfprobe({
      streams: [
        { codec_type: "audio", codec_name: "aac" },
        { codec_type: "video", codec_name: "h264", width: 1920, height: 1080, profile: "High", level: 40 },
      ],
      format: { format_name: MP4, duration: "12.5" },
    });
    expect(probe).toEqual({
      videoCodec: "h264",
      audioCodec: "aac",
      container: MP4,
      width: 1920,
      height: 1080,
      videoProfile: "High",
      videoLevel: 40,
      durationSec: 12.5,
    });
    expect(mp4Codecs(probe!)).toBe("avc1.640028,mp4a.40.2");
    expect(videoCodecExtra(probe!)).toEqual({ videoCodec: "h264", audioCodec: "aac", container: MP4 });
    expect(fromFfprobe({ streams: [{ codec_type: "audio", codec_name: "mp3" }] })).toBeNull();
  });

  it("asks for a rendition when any major browser cannot play the codecs or the container", () => {
    expect(browsersCanPlay({ videoCodec: "h264", audioCodec: "aac", container: MP4 })).toBe(true);
    expect(browsersCanPlay({ videoCodec: "vp9", audioCodec: "opus", container: "matroska,webm" })).toBe(true);
    expect(browsersCanPlay({ videoCodec: "av1" })).toBe(true);
    expect(browsersCanPlay({ videoCodec: "hevc", audioCodec: "aac", container: MP4 })).toBe(false);
    expect(browsersCanPlay({ videoCodec: "prores", container: MP4 })).toBe(false);
    expect(browsersCanPlay({ videoCodec: "h264", audioCodec: "pcm_s16le", container: MP4 })).toBe(false);
    expect(browsersCanPlay({ videoCodec: "h264", audioCodec: "ac3", container: MP4 })).toBe(false);
    expect(browsersCanPlay({ videoCodec: "h264", container: "avi" })).toBe(false);
  });
});
