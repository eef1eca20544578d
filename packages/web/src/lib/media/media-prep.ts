import {
  blobByteSource,
  isMediaMime,
  type MediaInfo,
  mimeFromName,
  type Thumbnails,
  type VideoDate,
  videoCreationDate,
} from "@umbra/client";
import { MediaPrepError, mediaPrep } from "../workers/media-prep-pool.js";
import { heicThumbnails } from "./heic-thumbnails.js";
import { metadataFrom, prepareImage } from "./image-prep.js";
import { encodeThumbnail, GRID_SIZE, PREVIEW_SIZE } from "./thumbnail-encode.js";

export interface PreparedMedia {
  info: MediaInfo;
  thumbnails: Thumbnails;
}

/** The first frame worth showing, read by the browser's own decoder. */
async function videoPoster(file: File): Promise<{ video: HTMLVideoElement; url: string; duration: number }> {
  const url = URL.createObjectURL(file);
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.preload = "auto";
  video.src = url;
  await new Promise<void>((resolve, reject) => {
    video.onloadeddata = () => resolve();
    video.onerror = () => reject(new Error("This video format cannot be read by the browser"));
  });
  const duration = Number.isFinite(video.duration) ? video.duration : 0;
  await new Promise<void>((resolve) => {
    video.onseeked = () => resolve();
    video.currentTime = Math.min(0.1, duration / 2);
  });
  return { video, url, duration };
}

/**
 * The capture time a video's container records (MP4/MOV `mvhd`, Apple's creationdate, Matroska DateUTC), read
 * from the few boxes that hold it; undefined when it has none, and the upload time then dates the video.
 */
export function videoDate(file: File): Promise<VideoDate | undefined> {
  return videoCreationDate(blobByteSource(file));
}

/** Reads EXIF and draws the grid (~256 px) and preview (~1440 px) thumbnails, all in the browser. */
export async function prepareMedia(file: File): Promise<PreparedMedia> {
  if (mediaMime(file).startsWith("video/")) {
    const info: MediaInfo = { ...metadataFrom(mediaMime(file), null), ...(await videoDate(file)) };
    const { video, url, duration } = await videoPoster(file);
    try {
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (w > 0 && h > 0) {
        info.width = w;
        info.height = h;
      }
      info.durationSec = duration;
      const grid = await encodeThumbnail(video, w, h, GRID_SIZE);
      const preview = await encodeThumbnail(video, w, h, PREVIEW_SIZE);
      return { info, thumbnails: { grid, preview } };
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  const mime = mediaMime(file);
  // In a worker; on the page only when the worker itself cannot run (a failure reading the file is final).
  const prepared = await mediaPrep.prepareImage(file, mime).catch((error: unknown) => {
    if (error instanceof MediaPrepError) throw error;
    return prepareImage(file, mime);
  });
  const { info } = prepared;
  if (prepared.thumbnails) return { info, thumbnails: prepared.thumbnails };
  // HEIC/HEIF, which Chromium cannot decode: libheif in a worker. Anything else (RAW), or a HEIC libheif
  // cannot read either, is kept as-is with a labelled placeholder.
  const heic = /^image\/hei[cf]/.test(mime) ? await heicThumbnails(file, GRID_SIZE, PREVIEW_SIZE) : null;
  if (!heic) return { info, thumbnails: await placeholderThumbnails(file.name) };
  info.width = heic.width;
  info.height = heic.height;
  return { info, thumbnails: { grid: heic.grid, preview: heic.preview } };
}

/** Chromium reports no type for HEIC and other formats it does not know: the name decides then. */
export function mediaMime(file: File): string {
  return file.type || mimeFromName(file.name);
}

export function isSupportedMedia(file: File): boolean {
  return isMediaMime(mediaMime(file));
}

/** Grid and preview tiles showing the file's extension, for images the browser cannot draw. */
async function placeholderThumbnails(name: string): Promise<Thumbnails> {
  const label = (/\.([^.]+)$/.exec(name)?.[1] ?? "file").toUpperCase().slice(0, 5);
  const draw = async (size: number) => {
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("2D canvas unavailable");
    ctx.fillStyle = "#3a3f47";
    ctx.fillRect(0, 0, size, size);
    ctx.fillStyle = "#d8dde6";
    ctx.font = `600 ${Math.round(size / 6)}px sans-serif`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(label, size / 2, size / 2);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.8 });
    return new Uint8Array(await blob.arrayBuffer());
  };
  return { grid: await draw(GRID_SIZE), preview: await draw(512) };
}
