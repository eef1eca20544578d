/**
 * Upload preparation off the main thread: the keyed content digest (a JS HMAC over every byte, as Web Crypto
 * cannot hash in chunks) and a photo's EXIF and thumbnails (decode, scale, JPEG encode) run in two workers,
 * so the page keeps drawing while a folder of photos is read.
 */
import type { MediaInfo, Thumbnails } from "@umbra/client";
import type { PreparedImage } from "../media/image-prep.js";
import { WorkerPool } from "./worker-pool.js";

export type MediaPrepRequest =
  | { id: number; kind: "digest"; file: File; dedupKey: Uint8Array }
  | { id: number; kind: "image"; file: File; mime: string };

export type MediaPrepReply =
  | { id: number; ok: true; kind: "digest"; digest: string }
  | { id: number; ok: true; kind: "image"; info: MediaInfo; thumbnails: Thumbnails | null }
  | { id: number; ok: false; message: string };

/** A failure inside the work itself (an unreadable file), as opposed to a worker that could not run. */
export class MediaPrepError extends Error {
  readonly code = "MEDIA_PREP_FAILED";
  override name = "MediaPrepError";
}

const MEDIA_PREP_WORKERS = 2;

class MediaPrepPool extends WorkerPool<MediaPrepRequest, MediaPrepReply> {
  constructor() {
    super(
      (i) =>
        new Worker(new URL("./media-prep-worker.ts", import.meta.url), {
          type: "module",
          name: `media-prep-${i}`,
        }),
      MEDIA_PREP_WORKERS,
      "Media preparation",
    );
  }

  /** base64url HMAC-SHA256 of the file under the dedup key (sent as a copy). */
  async digest(file: File, dedupKey: Uint8Array): Promise<string> {
    const reply = await this.post((id) => ({ id, kind: "digest", file, dedupKey: dedupKey.slice() })).reply;
    if (!reply.ok) throw new MediaPrepError(reply.message);
    if (reply.kind !== "digest") throw new Error("media prep: unexpected reply");
    return reply.digest;
  }

  async prepareImage(file: File, mime: string): Promise<PreparedImage> {
    const reply = await this.post((id) => ({ id, kind: "image", file, mime })).reply;
    if (!reply.ok) throw new MediaPrepError(reply.message);
    if (reply.kind !== "image") throw new Error("media prep: unexpected reply");
    return { info: reply.info, thumbnails: reply.thumbnails };
  }
}

export const mediaPrep = new MediaPrepPool();
