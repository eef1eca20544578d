import type { HeicReply, HeicRequest } from "../workers/heic-decode-worker.js";

export interface HeicThumbnails {
  width: number;
  height: number;
  grid: Uint8Array;
  preview: Uint8Array;
}

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, (reply: HeicReply) => void>();

function start(): Worker {
  if (worker) return worker;
  const started = new Worker(new URL("../workers/heic-decode-worker.ts", import.meta.url), {
    type: "module",
    name: "umbra-heic",
  });
  started.onmessage = ({ data }: MessageEvent<HeicReply>) => {
    waiting.get(data.id)?.(data);
    waiting.delete(data.id);
  };
  started.onerror = (event) => {
    // A worker that failed to load or crashed fails what it held; the next HEIC starts a fresh one.
    for (const resolve of waiting.values())
      resolve({ id: 0, ok: false, message: event.message || "worker failed" });
    waiting.clear();
    worker = undefined;
  };
  worker = started;
  return started;
}

/**
 * Grid and preview thumbnails of a HEIC/HEIF photo, decoded by libheif in a worker; null when it cannot be
 * decoded either (the file is still stored as-is, with a placeholder).
 */
export async function heicThumbnails(
  file: File,
  gridSize: number,
  previewSize: number,
): Promise<HeicThumbnails | null> {
  const id = nextId++;
  const bytes = await file.arrayBuffer();
  const request: HeicRequest = { id, bytes, gridSize, previewSize };
  const reply = await new Promise<HeicReply>((resolve) => {
    waiting.set(id, resolve);
    start().postMessage(request, [bytes]);
  });
  if (!reply.ok) return null;
  return {
    width: reply.width,
    height: reply.height,
    grid: new Uint8Array(reply.grid),
    preview: new Uint8Array(reply.preview),
  };
}
