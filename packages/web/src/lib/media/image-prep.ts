import type { MediaInfo, Thumbnails } from "@umbra/client";
import { encodeThumbnail, GRID_SIZE, PREVIEW_SIZE } from "./thumbnail-encode.js";

/**
 * A photo's EXIF and thumbnails, made where the browser decodes images: in the media-prep workers, or on the
 * page if a worker cannot run. No DOM and no SDK here, so the workers stay small.
 */
export interface PreparedImage {
  info: MediaInfo;
  /** Null when the browser cannot decode the image (HEIC, RAW): the page then tries libheif or a placeholder. */
  thumbnails: Thumbnails | null;
}

type ExifTags = Record<string, unknown>;

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}

async function readExif(file: File): Promise<ExifTags | null> {
  try {
    const exifr = await import("exifr");
    const tags = (await exifr.parse(file, { tiff: true, exif: true, gps: true, xmp: false, icc: false })) as
      | ExifTags
      | undefined;
    return tags ?? null;
  } catch {
    return null; // A file without readable EXIF is normal (PNG, screenshots, videos).
  }
}

export function metadataFrom(mime: string, tags: ExifTags | null): MediaInfo {
  const taken = tags?.DateTimeOriginal ?? tags?.CreateDate;
  const info: MediaInfo = { mime };
  if (taken instanceof Date && !Number.isNaN(taken.getTime())) info.takenAt = taken.toISOString();
  if (!tags) return info;
  const make = str(tags.Make);
  const model = str(tags.Model);
  const lens = str(tags.LensModel) ?? str(tags.Lens);
  if (make || model) info.camera = { make, model };
  if (lens) info.lens = lens;
  const exif: Record<string, number> = {};
  for (const key of ["FNumber", "ExposureTime", "ISO", "FocalLength"]) {
    const v = num(tags[key]);
    if (v !== undefined) exif[key] = v;
  }
  if (Object.keys(exif).length > 0) info.exif = exif;
  const latitude = num(tags.latitude);
  const longitude = num(tags.longitude);
  if (latitude !== undefined && longitude !== undefined) info.gps = { lat: latitude, lon: longitude };
  return info;
}

/** Reads EXIF and draws the grid (~256 px) and preview (~1440 px) thumbnails of a photo. */
export async function prepareImage(file: File, mime: string): Promise<PreparedImage> {
  const info = metadataFrom(mime, await readExif(file));
  // imageOrientation "from-image" applies the EXIF rotation so thumbnails stand upright.
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" }).catch(() => null);
  if (!bitmap) return { info, thumbnails: null };
  try {
    info.width = bitmap.width;
    info.height = bitmap.height;
    const grid = await encodeThumbnail(bitmap, bitmap.width, bitmap.height, GRID_SIZE);
    const preview = await encodeThumbnail(bitmap, bitmap.width, bitmap.height, PREVIEW_SIZE);
    return { info, thumbnails: { grid, preview } };
  } finally {
    bitmap.close();
  }
}
