// The page side of live-player.test.ts (bundled into a blank page): a <video>, a LivePlayer and the WebM.
import { LivePlayer, type LiveReaderLike, type PlayerStatus } from "./live-player.js";
import { WebmIndexer } from "./webm-index.js";

let bytes = new Uint8Array(0);
let player: LivePlayer | undefined;
let status: PlayerStatus | undefined;
let opens = 0;
let rangeBytes = 0;

/** The file in 16 KiB pieces, as the SDK's reader hands out authenticated segments. */
function reader(): LiveReaderLike {
  opens++;
  let at = 0;
  return {
    live: false,
    next: async () => {
      if (at >= bytes.length) return null;
      const piece = bytes.slice(at, at + 16 * 1024);
      at += piece.length;
      return piece;
    },
    close: () => {
      at = bytes.length;
    },
  };
}

function freshVideo(): HTMLVideoElement {
  player?.close();
  document.querySelector("video")?.remove();
  const video = document.createElement("video");
  video.muted = true;
  document.body.append(video);
  opens = 0;
  rangeBytes = 0;
  status = undefined;
  return video;
}

const api = {
  loadWebm(b64: string): void {
    bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  },
  startStream(): void {
    const video = freshVideo();
    player = new LivePlayer(video, { open: async () => reader(), durationSec: 20 }, (s) => (status = s), {
      readAheadSec: 2,
      keepBehindSec: 2,
    });
    void video.play();
  },
  startIndexed(): void {
    const video = freshVideo();
    const indexer = new WebmIndexer();
    indexer.push(bytes);
    const index = indexer.index();
    player = new LivePlayer(
      video,
      {
        open: async () => reader(),
        index,
        size: bytes.length,
        durationSec: 20,
        readRange: async (start, end) => {
          rangeBytes += end + 1 - start;
          return bytes.slice(start, end + 1);
        },
      },
      (s) => (status = s),
      { readAheadSec: 2, keepBehindSec: 2, rangeChunkBytes: 16 * 1024 },
    );
    void video.play();
  },
  probe() {
    const video = document.querySelector("video")!;
    return {
      currentTime: video.currentTime,
      duration: video.duration,
      readyState: video.readyState,
      opens,
      rangeBytes,
      error: status?.error,
      buffered: Array.from({ length: video.buffered.length }, (_, i) => [
        video.buffered.start(i),
        video.buffered.end(i),
      ]),
    };
  },
};
Object.assign(window, api);
