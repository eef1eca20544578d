import { execFile } from "node:child_process";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type MediaHooks,
  type MediaInfo,
  type Thumbnails,
  type UploadSource,
  type VideoDate,
  videoCreationDate,
} from "@umbra/client";
import exifr from "exifr";
import sharp from "sharp";
import { browsersCanPlay, probeVideo, videoCodecExtra } from "./video-probe.js";

export const GRID_SIZE = 256;
export const PREVIEW_SIZE = 1440;

/** exifr's merged output: a flat record of tag names to values. */
type ExifRecord = Record<string, unknown>;
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** EXIF fields as the metadata stores them: dates as ISO strings, binary values dropped. */
export function mediaInfoFromExif(exif: ExifRecord | undefined): MediaInfo {
  if (!exif) return {};
  const info: MediaInfo = {};
  const taken = exif.DateTimeOriginal ?? exif.CreateDate ?? exif.ModifyDate;
  if (taken instanceof Date && !Number.isNaN(taken.getTime())) info.takenAt = taken.toISOString();
  const make = stringOf(exif.Make);
  const model = stringOf(exif.Model);
  const lens = stringOf(exif.LensModel) ?? stringOf(exif.LensMake);
  if (make || model) info.camera = { ...(make && { make }), ...(model && { model }) };
  if (lens) info.lens = lens;
  if (typeof exif.latitude === "number" && typeof exif.longitude === "number") {
    info.gps = { lat: exif.latitude, lon: exif.longitude };
    if (typeof exif.GPSAltitude === "number") info.gps.alt = exif.GPSAltitude;
  }
  const width = exif.ExifImageWidth ?? exif.ImageWidth;
  const height = exif.ExifImageHeight ?? exif.ImageHeight;
  if (typeof width === "number" && width > 0) info.width = Math.round(width);
  if (typeof height === "number" && height > 0) info.height = Math.round(height);
  info.exif = jsonSafeExif(exif);
  return info;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function jsonSafeExif(exif: ExifRecord): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(exif)) {
    if (value instanceof Date) out[key] = Number.isNaN(value.getTime()) ? null : value.toISOString();
    else if (value instanceof Uint8Array || ArrayBuffer.isView(value)) continue;
    else if (typeof value === "string" && value.length > 2000) continue;
    else if (typeof value === "object" && value !== null) {
      try {
        out[key] = JSON.parse(JSON.stringify(value)) as JsonValue;
      } catch {
        // Cyclic or exotic: not worth keeping.
      }
    } else if (typeof value === "number" && !Number.isFinite(value)) continue;
    else if (value !== undefined) out[key] = value as JsonValue;
  }
  return out;
}

async function imageThumbnails(input: Buffer | string): Promise<Thumbnails> {
  // rotate() applies the EXIF orientation so thumbnails look like the photo does.
  const grid = await sharp(input)
    .rotate()
    .resize(GRID_SIZE, GRID_SIZE, { fit: "cover" })
    .jpeg({ quality: 75 })
    .toBuffer();
  const preview = await sharp(input)
    .rotate()
    .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
  return { grid: new Uint8Array(grid), preview: new Uint8Array(preview) };
}

let ffmpegPath: Promise<string | null> | undefined;
/** ffmpeg on PATH, or null: poster frames are optional. */
export function findFfmpeg(): Promise<string | null> {
  ffmpegPath ??= new Promise((resolve) => {
    execFile("ffmpeg", ["-version"], (error) => resolve(error ? null : "ffmpeg"));
  });
  return ffmpegPath;
}

async function videoPoster(
  path: string,
): Promise<{ thumbnails: Thumbnails | null; note?: string; durationSec?: number }> {
  const ffmpeg = await findFfmpeg();
  if (!ffmpeg) return { thumbnails: null, note: "ffmpeg is not installed: no poster frame for this video" };
  const dir = await mkdtemp(join(tmpdir(), "umbra-poster-"));
  try {
    const out = join(dir, "poster.png");
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(
        ffmpeg,
        ["-hide_banner", "-y", "-ss", "0", "-i", path, "-frames:v", "1", out],
        { timeout: 60_000 },
        (error, _stdout, err) => (error ? reject(Object.assign(error, { stderr: err })) : resolve(err)),
      );
    });
    const match = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
    const durationSec = match
      ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])
      : undefined;
    return { thumbnails: await imageThumbnails(await readFile(out)), durationSec };
  } catch {
    return { thumbnails: null, note: "ffmpeg could not read a frame of this video: no poster frame" };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The capture time the video's container records (MP4/MOV `mvhd`, Apple's creationdate, Matroska DateUTC),
 * read from the few boxes that hold it; undefined when none (the upload time then dates the video).
 */
export async function videoFileDate(path: string): Promise<VideoDate | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const file = handle;
    const { size } = await file.stat();
    return await videoCreationDate({
      size,
      read: async (offset, length) => {
        const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
        return buffer.subarray(0, bytesRead);
      },
    });
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The CLI's media hook: EXIF with exifr, thumbnails with sharp, video posters with ffmpeg when present. */
export function nodeMediaHooks(pathOf: (source: UploadSource) => string): MediaHooks {
  return {
    async extract(source) {
      const path = pathOf(source);
      const mime = source.mime ?? "application/octet-stream";
      if (mime.startsWith("image/")) {
        let info: MediaInfo = {};
        try {
          info = mediaInfoFromExif(
            await exifr.parse(path, { tiff: true, exif: true, gps: true, xmp: false }),
          );
        } catch {
          // No or broken EXIF: the file is still worth keeping.
        }
        try {
          const meta = await sharp(path).metadata();
          if (!info.width && meta.width) info.width = meta.width;
          if (!info.height && meta.height) info.height = meta.height;
          return { info, thumbnails: await imageThumbnails(path) };
        } catch {
          return { info, thumbnails: null, note: "could not decode this image: no thumbnail" };
        }
      }
      if (mime.startsWith("video/")) {
        const [poster, probe, dated] = await Promise.all([
          videoPoster(path),
          probeVideo(path),
          videoFileDate(path),
        ]);
        const info: MediaInfo = { ...dated };
        if (poster.durationSec !== undefined) info.durationSec = poster.durationSec;
        if (!probe) return { info, thumbnails: poster.thumbnails, note: poster.note };
        // Recorded so the web player and `umbra renditions` know the codecs without downloading the file.
        info.extra = videoCodecExtra(probe);
        if (probe.width) info.width = probe.width;
        if (probe.height) info.height = probe.height;
        info.durationSec ??= probe.durationSec;
        const unplayable = browsersCanPlay(probe)
          ? undefined
          : `browsers cannot all play ${probe.videoCodec ?? "this video"}: \`umbra renditions\` makes a playable copy`;
        const note = [poster.note, unplayable].filter(Boolean).join("; ") || undefined;
        return { info, thumbnails: poster.thumbnails, note };
      }
      return { info: {}, thumbnails: null };
    },
  };
}
