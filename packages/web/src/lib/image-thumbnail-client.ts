import type { ImageThumbnailReply, ImageThumbnailRequest } from "./image-thumbnail-worker.js";

type Drawn = { width: number; height: number; grid: Uint8Array; preview: Uint8Array } | null;

/**
 * Draws image thumbnails in a worker (createImageBitmap + OffscreenCanvas), so preparing uploads never blocks
 * scrolling. Resolves to null when the browser cannot decode the image (HEIC in Chromium, RAW).
 */
class ImageThumbnailClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: ImageThumbnailReply) => void>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./image-thumbnail-worker.ts", import.meta.url), {
      type: "module",
      name: "umbra-image-thumbnails",
    });
    worker.onmessage = ({ data }: MessageEvent<ImageThumbnailReply>) => {
      this.waiting.get(data.id)?.(data);
      this.waiting.delete(data.id);
    };
    worker.onerror = () => {
      // A crashed worker fails everything it held; the next request starts a fresh one.
      for (const resolve of this.waiting.values())
        resolve({ id: 0, ok: false, undecodable: false, message: "worker failed" });
      this.waiting.clear();
      this.worker = undefined;
    };
    this.worker = worker;
    return worker;
  }

  draw(file: File, gridSize: number, previewSize: number): Promise<Drawn> {
    const id = this.nextId++;
    const request: ImageThumbnailRequest = { id, file, gridSize, previewSize };
    return new Promise<Drawn>((resolve, reject) => {
      this.waiting.set(id, (reply) => {
        if (reply.ok) {
          resolve({
            width: reply.width,
            height: reply.height,
            grid: new Uint8Array(reply.grid),
            preview: new Uint8Array(reply.preview),
          });
        } else if (reply.undecodable) resolve(null);
        else reject(new Error(`Could not make thumbnails: ${reply.message}`));
      });
      this.start().postMessage(request);
    });
  }
}

export const imageThumbnails = new ImageThumbnailClient();
