import { DEFAULT_SEGMENT_SIZE } from "@umbra/crypto/stream";

/**
 * Video is stored in smaller segments than other files: a player's first frame and every seek wait for one
 * whole segment to arrive and authenticate, so 64 KiB starts playback sooner than 256 KiB (measured in
 * Chromium, see docs/PERFORMANCE.md). Other files keep the default, which costs less per byte to upload.
 */
export const VIDEO_SEGMENT_SIZE = 64 * 1024;

/** The segment size a new upload of this MIME type is encrypted with. */
export function contentSegmentSize(mime: string): number {
  return mime.toLowerCase().startsWith("video/") ? VIDEO_SEGMENT_SIZE : DEFAULT_SEGMENT_SIZE;
}
