// The bench's videos, made once with ffmpeg and kept in a cache folder: a 1080p H.264 + AAC clip with its
// moov at the end (ffmpeg's default), the same bytes rewritten with the moov first (faststart), and a large
// file made by looping a short high-bitrate clip without re-encoding.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type VideoCaseName = "faststart" | "moov-end" | "large";

export interface VideoFixture {
  name: VideoCaseName;
  label: string;
  path: string;
  size: number;
  durationSec: number;
}

export interface FixtureOptions {
  /** Length of the faststart and moov-at-end clips. */
  seconds: number;
  /** The large file's minimum size; 0 leaves it out. */
  largeMiB: number;
  cacheDir: string;
}

const FFMPEG = process.env.UMBRA_FFMPEG ?? "/usr/bin/ffmpeg";
/** Keyframe every 2 s (at 30 fps): a seek decodes from the keyframe before its target, as in phone videos. */
const GOP = 60;
const LARGE_CLIP_SECONDS = 10;

export const defaultFixtureDir = () => path.join(tmpdir(), "umbra-bench-video-fixtures");

function ffmpeg(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      FFMPEG,
      ["-hide_banner", "-loglevel", "error", "-y", ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`ffmpeg ${args.join(" ")} failed: ${stderr}`)) : resolve(stderr),
    );
  });
}

/** Duration in seconds as ffprobe-less ffmpeg reports it (its stderr "Duration:" line). */
async function probeDuration(file: string): Promise<number> {
  const stderr = await new Promise<string>((resolve) => {
    execFile(FFMPEG, ["-hide_banner", "-i", file], (_error, _stdout, err) => resolve(err));
  });
  const match = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  if (!match) throw new Error(`no duration for ${file}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Runs `make` into a temp name and renames it into place, so a stopped run never leaves half a fixture. */
async function cached(file: string, make: (out: string) => Promise<unknown>): Promise<void> {
  if (existsSync(file)) return;
  const temp = `${file}.partial${path.extname(file)}`;
  await make(temp);
  renameSync(temp, file);
}

/**
 * 1080p30 test pattern with moving noise (so the encoder has to spend the bitrate) and a tone, at `mbps`.
 * Without -movflags the moov box is written after the media data.
 */
const encodeArgs = (seconds: number, mbps: number, out: string) => [
  "-f",
  "lavfi",
  "-i",
  `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
  "-f",
  "lavfi",
  "-i",
  `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
  "-vf",
  "noise=alls=12:allf=t",
  "-c:v",
  "libx264",
  "-preset",
  "veryfast",
  "-profile:v",
  "high",
  "-pix_fmt",
  "yuv420p",
  "-g",
  String(GOP),
  "-b:v",
  `${mbps}M`,
  "-maxrate",
  `${mbps}M`,
  "-bufsize",
  `${mbps * 2}M`,
  "-c:a",
  "aac",
  "-b:a",
  "128k",
  "-shortest",
  out,
];

async function fixture(name: VideoCaseName, label: string, file: string): Promise<VideoFixture> {
  return { name, label, path: file, size: statSync(file).size, durationSec: await probeDuration(file) };
}

export async function makeFixtures(
  cases: readonly VideoCaseName[],
  options: FixtureOptions,
): Promise<VideoFixture[]> {
  mkdirSync(options.cacheDir, { recursive: true });
  const dir = options.cacheDir;
  const moovEnd = path.join(dir, `clip-${options.seconds}s-8mbps-moov-end.mp4`);
  const faststart = path.join(dir, `clip-${options.seconds}s-8mbps-faststart.mp4`);
  const out: VideoFixture[] = [];
  if (cases.includes("faststart") || cases.includes("moov-end")) {
    await cached(moovEnd, (temp) => ffmpeg(encodeArgs(options.seconds, 8, temp)));
    // The same streams, only the boxes rearranged: moov moved before mdat.
    await cached(faststart, (temp) =>
      ffmpeg(["-i", moovEnd, "-c", "copy", "-map", "0", "-movflags", "+faststart", temp]),
    );
  }
  const clipLabel = `${options.seconds} s 1080p H.264+AAC 8 Mbit/s`;
  if (cases.includes("faststart")) out.push(await fixture("faststart", `faststart, ${clipLabel}`, faststart));
  if (cases.includes("moov-end")) out.push(await fixture("moov-end", `moov at end, ${clipLabel}`, moovEnd));
  if (cases.includes("large") && options.largeMiB > 0) {
    const clip = path.join(dir, `clip-${LARGE_CLIP_SECONDS}s-24mbps.mp4`);
    await cached(clip, (temp) => ffmpeg(encodeArgs(LARGE_CLIP_SECONDS, 24, temp)));
    const loops = Math.ceil((options.largeMiB * 1024 * 1024) / statSync(clip).size);
    const large = path.join(dir, `large-${options.largeMiB}mib-24mbps-faststart.mp4`);
    // -stream_loop N plays the input N more times: copied packets, so only the disk is busy.
    await cached(large, (temp) =>
      ffmpeg([
        "-stream_loop",
        String(loops - 1),
        "-i",
        clip,
        "-c",
        "copy",
        "-map",
        "0",
        "-movflags",
        "+faststart",
        temp,
      ]),
    );
    const f = await fixture("large", "", large);
    f.label = `large, ${(f.size / 2 ** 30).toFixed(2)} GiB, ${Math.round(f.durationSec)} s 1080p 24 Mbit/s faststart`;
    out.push(f);
  }
  return out;
}
