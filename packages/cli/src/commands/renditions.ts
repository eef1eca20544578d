import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { errorCode, type FileEntry, type RenditionInfo, type UmbraClient } from "@umbra/client";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { type GlobalOptions, unlockedClient } from "../context.js";
import { writeStreamAtomically } from "../output-files.js";
import { formatBytes } from "../progress-render.js";
import { browsersCanPlay, mp4Codecs, probeVideo, type VideoProbe, videoCodecExtra } from "../video-probe.js";
import { resolveAlbum } from "./library.js";

export interface RenditionsOptions {
  album?: string;
  dryRun?: boolean;
  json?: boolean;
  passwordStdin?: boolean;
}

/** One line of the report, per video looked at. */
interface Outcome {
  id: string;
  name: string;
  /** converted: a rendition was stored; would-convert: --dry-run; playable: none needed; has-rendition: one exists. */
  result: "converted" | "would-convert" | "playable" | "has-rendition" | "failed";
  videoCodec?: string;
  rendition?: RenditionInfo;
  error?: string;
}

/** Registers `umbra renditions` (main.ts calls this once). */
export function registerRenditionsCommand(
  program: Command,
  global: () => GlobalOptions,
  withKeys: (cmd: Command) => Command,
): void {
  withKeys(
    program
      .command("renditions")
      .description(
        "make playable copies (H.264/AAC MP4, made here with ffmpeg) of your videos browsers cannot all play",
      )
      .option("--album <name>", "only the videos of this album")
      .option("--dry-run", "say what would be converted, change nothing")
      .option("--json", "print one JSON object per video"),
  ).action((o: RenditionsOptions) => renditionsCommand({ ...global(), ...o }, o));
}

export async function renditionsCommand(
  global: GlobalOptions & { passwordStdin?: boolean },
  options: RenditionsOptions,
): Promise<void> {
  const { client } = await unlockedClient(global);
  const library = client.library;
  await library.sync();
  const albumId = options.album ? (await resolveAlbum(library, options.album)).id : undefined;
  const videos = (await library.files({ albumId, trashed: false })).filter((f) =>
    f.metadata.mime.toLowerCase().startsWith("video/"),
  );
  const work = await mkdtemp(join(tmpdir(), "umbra-renditions-"));
  const outcomes: Outcome[] = [];
  try {
    for (const video of videos) {
      const outcome = await renditionFor(client, video, work, options).catch(
        (error: unknown): Outcome => ({
          id: video.id,
          name: video.metadata.name,
          result: "failed",
          error: `${errorCode(error) ?? (error as { code?: string }).code ?? "ERROR"}: ${(error as Error).message}`,
        }),
      );
      outcomes.push(outcome);
      report(outcome, options.json);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
    await library.flush().catch(() => undefined);
  }
  const count = (result: Outcome["result"]) => outcomes.filter((o) => o.result === result).length;
  if (!options.json) {
    const made = options.dryRun ? `${count("would-convert")} to convert` : `${count("converted")} converted`;
    process.stderr.write(
      `${videos.length} videos: ${made}, ${count("playable")} play in browsers as they are, ` +
        `${count("has-rendition")} already have a playable copy, ${count("failed")} failed\n`,
    );
  }
  if (count("failed") > 0)
    throw new CliError("SERVER_ERROR", `${count("failed")} videos could not be converted`);
}

async function renditionFor(
  client: UmbraClient,
  video: FileEntry,
  work: string,
  options: RenditionsOptions,
): Promise<Outcome> {
  const base = { id: video.id, name: video.metadata.name };
  const existing = await client.renditions.info(video.id);
  if (existing) return { ...base, result: "has-rendition", rendition: existing };
  const extra = video.metadata.extra ?? {};
  // Known from the upload (or an earlier run): no need to download a video that plays as it is.
  if (typeof extra.videoCodec === "string") {
    const known = {
      videoCodec: extra.videoCodec,
      audioCodec: typeof extra.audioCodec === "string" ? extra.audioCodec : undefined,
      container: typeof extra.container === "string" ? extra.container : undefined,
    };
    if (browsersCanPlay(known)) return { ...base, result: "playable", videoCodec: known.videoCodec };
    if (options.dryRun) return { ...base, result: "would-convert", videoCodec: known.videoCodec };
  }
  const original = join(work, `${video.id}.original`);
  try {
    const { stream } = await client.download(video.id);
    await writeStreamAtomically(original, stream);
    const probe = await probeVideo(original);
    if (!probe) throw new CliError("INVALID_INPUT", "ffprobe cannot read this video (is ffmpeg installed?)");
    if (!options.dryRun) await client.renditions.annotate(video.id, videoCodecExtra(probe));
    const videoCodec = probe.videoCodec;
    if (browsersCanPlay(probe)) return { ...base, result: "playable", videoCodec };
    if (options.dryRun) return { ...base, result: "would-convert", videoCodec };
    const converted = join(work, `${video.id}.mp4`);
    await transcode(original, converted, probe);
    const made = await probeVideo(converted);
    if (made?.videoCodec !== "h264") throw new CliError("INVALID_INPUT", "ffmpeg made no H.264 video");
    const { size } = await stat(converted);
    const rendition = await client.renditions.add(video.id, {
      size,
      mime: "video/mp4",
      codecs: mp4Codecs(made),
      width: made.width,
      height: made.height,
      open: () => Readable.toWeb(createReadStream(converted)) as ReadableStream<Uint8Array>,
    });
    return { ...base, result: "converted", videoCodec, rendition };
  } finally {
    await rm(original, { force: true });
    await rm(join(work, `${video.id}.mp4`), { force: true });
  }
}

/** The longest side at most 1920 and the shortest at most 1080 (1080p either way up), even sizes for yuv420p. */
const SCALE_1080P =
  "scale='if(gte(iw,ih),min(1920,iw),min(1080,iw))':'if(gte(iw,ih),min(1080,ih),min(1920,ih))'" +
  ":force_original_aspect_ratio=decrease:force_divisible_by=2";

/** H.264 (CRF 23) + AAC in an MP4 with the index first (faststart), so a player starts before the end arrives. */
function transcode(input: string, output: string, probe: VideoProbe): Promise<void> {
  const audio = probe.audioCodec ? ["-map", "0:a:0", "-c:a", "aac", "-b:a", "160k"] : ["-an"];
  const args = [
    ...["-hide_banner", "-nostdin", "-y", "-i", input, "-map", "0:v:0"],
    ...["-c:v", "libx264", "-preset", "medium", "-crf", "23", "-pix_fmt", "yuv420p", "-vf", SCALE_1080P],
    ...audio,
    ...["-movflags", "+faststart", "-map_metadata", "-1", output],
  ];
  return new Promise((resolve, reject) => {
    execFile("ffmpeg", args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const last = stderr.trim().split("\n").slice(-3).join(" | ");
      reject(new CliError("INVALID_INPUT", `ffmpeg could not convert this video: ${last || error.message}`));
    });
  });
}

function report(outcome: Outcome, json?: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
    return;
  }
  const codec = outcome.videoCodec ? ` (${outcome.videoCodec})` : "";
  const what = {
    converted: () => `converted to H.264/AAC${size(outcome.rendition)}: stored encrypted beside the original`,
    "would-convert": () => "browsers cannot all play it: would convert to H.264/AAC",
    playable: () => "plays in browsers as it is",
    "has-rendition": () => `already has a playable copy${size(outcome.rendition)}`,
    failed: () => `failed: ${outcome.error}`,
  }[outcome.result]();
  process.stdout.write(`${outcome.id}  ${outcome.name}${codec}  ${what}\n`);
}

function size(rendition?: RenditionInfo): string {
  if (!rendition) return "";
  const dims = rendition.width && rendition.height ? `${rendition.width}x${rendition.height}, ` : "";
  return ` (${dims}${formatBytes(rendition.size)})`;
}
