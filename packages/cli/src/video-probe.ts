import { execFile } from "node:child_process";

/** What ffprobe says of a video file's first video and audio streams and its container. */
export interface VideoProbe {
  /** ffprobe's codec_name: h264, hevc, vp9, av1, prores, … */
  videoCodec?: string;
  audioCodec?: string;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  container?: string;
  width?: number;
  height?: number;
  /** H.264 profile and level for an RFC 6381 codecs string (e.g. "High", 40). */
  videoProfile?: string;
  videoLevel?: number;
  durationSec?: number;
}

/**
 * Codecs Chrome, Firefox and Safari all decode in a `<video>` element. HEVC is missing on purpose: Firefox and
 * Chromium builds without a platform decoder (Debian's) cannot play it.
 */
const PLAYABLE_VIDEO = new Set(["h264", "vp8", "vp9", "av1"]);
const PLAYABLE_AUDIO = new Set(["aac", "mp3", "opus", "vorbis", "flac"]);
/** Containers a browser opens: MP4/QuickTime and WebM (ffprobe reports the family). */
const PLAYABLE_CONTAINER = /(^|,)(mp4|mov|webm)(,|$)/;

interface FfprobeJson {
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    profile?: string;
    level?: number;
  }[];
  format?: { format_name?: string; duration?: string };
}

/** Runs ffprobe on a file; null when ffprobe is missing or cannot read it (not a video it knows). */
export function probeVideo(path: string, ffprobe = "ffprobe"): Promise<VideoProbe | null> {
  const args = ["-v", "error", "-show_streams", "-show_format", "-of", "json", path];
  return new Promise((resolve) => {
    execFile(ffprobe, args, { timeout: 60_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve(null);
      try {
        resolve(fromFfprobe(JSON.parse(stdout) as FfprobeJson));
      } catch {
        resolve(null);
      }
    });
  });
}

export function fromFfprobe(json: FfprobeJson): VideoProbe | null {
  const video = json.streams?.find((s) => s.codec_type === "video");
  if (!video?.codec_name) return null;
  const audio = json.streams?.find((s) => s.codec_type === "audio");
  const duration = Number(json.format?.duration);
  return {
    videoCodec: video.codec_name,
    ...(audio?.codec_name ? { audioCodec: audio.codec_name } : {}),
    ...(json.format?.format_name ? { container: json.format.format_name } : {}),
    ...(video.width ? { width: video.width } : {}),
    ...(video.height ? { height: video.height } : {}),
    ...(video.profile ? { videoProfile: video.profile } : {}),
    ...(video.level !== undefined && video.level > 0 ? { videoLevel: video.level } : {}),
    ...(Number.isFinite(duration) ? { durationSec: duration } : {}),
  };
}

/** Whether every major browser can play it as is; false means it needs a rendition. */
export function browsersCanPlay(probe: Pick<VideoProbe, "videoCodec" | "audioCodec" | "container">): boolean {
  if (!probe.videoCodec || !PLAYABLE_VIDEO.has(probe.videoCodec)) return false;
  if (probe.audioCodec && !PLAYABLE_AUDIO.has(probe.audioCodec)) return false;
  return probe.container === undefined || PLAYABLE_CONTAINER.test(probe.container);
}

/**
 * What the upload command records in the encrypted metadata's `extra` (`extra.videoCodec`, …), so that
 * `umbra renditions` and the web player know without downloading the file.
 */
export function videoCodecExtra(probe: VideoProbe): Record<string, string> {
  return {
    ...(probe.videoCodec ? { videoCodec: probe.videoCodec } : {}),
    ...(probe.audioCodec ? { audioCodec: probe.audioCodec } : {}),
    ...(probe.container ? { container: probe.container } : {}),
  };
}

const H264_PROFILES: Record<string, string> = {
  "Constrained Baseline": "42E0",
  Baseline: "4200",
  Main: "4D00",
  High: "6400",
};

/** RFC 6381 codecs of an H.264/AAC file (what MediaSource.isTypeSupported takes), when ffprobe gave enough. */
export function mp4Codecs(probe: VideoProbe): string | undefined {
  if (probe.videoCodec !== "h264" || !probe.videoProfile || !probe.videoLevel) return undefined;
  const profile = H264_PROFILES[probe.videoProfile];
  if (!profile) return undefined;
  const video = `avc1.${profile}${probe.videoLevel.toString(16).padStart(2, "0").toUpperCase()}`;
  return probe.audioCodec === "aac" ? `${video},mp4a.40.2` : video;
}
