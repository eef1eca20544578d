import { contentDigest } from "@umbra/crypto";
import { prepareImage } from "../media/image-prep.js";
import type { MediaPrepReply, MediaPrepRequest } from "./media-prep-pool.js";

/** The worker's global scope, typed by hand because the app compiles against the DOM lib, not WebWorker. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<MediaPrepRequest>) => void) | null;
  postMessage(message: MediaPrepReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

// One file per message: its keyed digest (the key arrives as a copy and is wiped once used), or its EXIF
// and thumbnails. Files are passed by reference; the worker reads them itself.
scope.onmessage = async ({ data }) => {
  try {
    if (data.kind === "digest") {
      try {
        const digest = await contentDigest(data.dedupKey, data.file.stream() as ReadableStream<Uint8Array>);
        scope.postMessage({ id: data.id, ok: true, kind: "digest", digest });
      } finally {
        data.dedupKey.fill(0);
      }
      return;
    }
    const { info, thumbnails } = await prepareImage(data.file, data.mime);
    scope.postMessage(
      { id: data.id, ok: true, kind: "image", info, thumbnails },
      thumbnails ? [thumbnails.grid.buffer, thumbnails.preview.buffer] : [],
    );
  } catch (error) {
    scope.postMessage({
      id: data.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
