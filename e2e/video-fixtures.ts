import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { MediaHooks, UploadSource } from "@umbra/client";

const FFMPEG = "/usr/bin/ffmpeg";

export interface TestVideo {
  bytes: Buffer;
  /** Poster frames as the apps make them: JPEG, 256 px grid, ≤ 1440 px preview. */
  grid: Buffer;
  preview: Buffer;
  durationSec: number;
  width: number;
  height: number;
}

/**
 * A faststart H.264 + AAC MP4 made here with ffmpeg: `clipSec` seconds encoded once (a moving test pattern with a
 * keyframe every second, and a tone), then repeated `loops` times without re-encoding, so a long file is quick.
 */
export function makeTestVideo(dir: string, clipSec: number, loops: number): TestVideo {
  const clip = path.join(dir, "clip.mp4");
  const video = path.join(dir, "video.mp4");
  const run = (args: string[]) => execFileSync(FFMPEG, ["-v", "error", "-y", ...args], { stdio: "pipe" });
  run([
    ...["-f", "lavfi", "-i", `testsrc2=size=640x360:rate=25:duration=${clipSec}`],
    ...["-f", "lavfi", "-i", `sine=frequency=440:duration=${clipSec}`],
    ...["-c:v", "libx264", "-preset", "veryfast", "-b:v", "1000k", "-g", "25", "-pix_fmt", "yuv420p"],
    ...["-c:a", "aac", "-b:a", "64k", "-shortest", clip],
  ]);
  run(["-stream_loop", String(loops - 1), "-i", clip, "-c", "copy", "-movflags", "+faststart", video]);
  const frame = (width: number, out: string) =>
    run(["-ss", "1", "-i", video, "-frames:v", "1", "-vf", `scale=${width}:-2`, "-q:v", "4", out]);
  frame(256, path.join(dir, "grid.jpg"));
  frame(640, path.join(dir, "preview.jpg"));
  return {
    bytes: readFileSync(video),
    grid: readFileSync(path.join(dir, "grid.jpg")),
    preview: readFileSync(path.join(dir, "preview.jpg")),
    durationSec: clipSec * loops,
    width: 640,
    height: 360,
  };
}

export function videoSource(name: string, video: TestVideo): UploadSource {
  return {
    name,
    size: video.bytes.length,
    mime: "video/mp4",
    localKey: `${name}:${video.bytes.length}`,
    open: () => new Blob([new Uint8Array(video.bytes)]).stream(),
  };
}

/** What the CLI's ffmpeg path would extract: the video's facts and its poster frames. */
export function videoHooks(video: TestVideo): MediaHooks {
  return {
    async extract() {
      return {
        info: {
          mime: "video/mp4",
          width: video.width,
          height: video.height,
          durationSec: video.durationSec,
          takenAt: "2025-05-04T10:00:00.000Z",
        },
        thumbnails: { grid: new Uint8Array(video.grid), preview: new Uint8Array(video.preview) },
      };
    },
  };
}
