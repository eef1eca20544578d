import { type MediaHooks, mimeFromName, type UploadSource } from "@umbra/client";
import { contentDigest } from "@umbra/crypto";
import { mediaMime, prepareMedia, videoDate } from "../media/media-prep.js";
import { MediaPrepError, mediaPrep } from "../workers/media-prep-pool.js";

/** A browser File as the SDK's re-readable upload source. */
export interface FileSource extends UploadSource {
  file: File;
}

/** The SDK's resume key of a picked or dropped file: its folder path, size and modification time. */
export function localKeyOf(file: File): string {
  const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
  return `${path}:${file.size}:${file.lastModified}`;
}

export function fileSource(file: File): FileSource {
  return {
    file,
    name: file.name,
    size: file.size,
    lastModified: file.lastModified,
    mime: file.type || mimeFromName(file.name),
    localKey: localKeyOf(file),
    open: () => file.stream() as ReadableStream<Uint8Array>,
    // Hashing every byte in JS is the heaviest part of reading a photo: a worker does it, the page only
    // when the worker cannot run.
    digest: (dedupKey) =>
      mediaPrep.digest(file, dedupKey).catch((error: unknown) => {
        if (error instanceof MediaPrepError) throw error;
        return contentDigest(dedupKey, file.stream() as ReadableStream<Uint8Array>);
      }),
  };
}

/** EXIF and thumbnails are made in the browser (canvas); the SDK encrypts them with the file key. */
export const browserMediaHooks: MediaHooks = {
  async extract(source) {
    const file = (source as FileSource).file;
    try {
      const { info, thumbnails } = await prepareMedia(file);
      return { info, thumbnails };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A video the browser cannot play (HEVC in Chromium) still has its container's date.
      const dated = mediaMime(file).startsWith("video/") ? await videoDate(file) : undefined;
      return { info: { mime: source.mime, ...dated }, thumbnails: null, note: `No preview: ${message}` };
    }
  },
};
