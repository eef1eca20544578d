import { encodeThumbnail } from "./thumbnail-encode.js";

/** A request to draw one image's grid and preview thumbnails (the File is cloned into the worker, not copied). */
export interface ImageThumbnailRequest {
  id: number;
  file: File;
  gridSize: number;
  previewSize: number;
}

export type ImageThumbnailReply =
  | { id: number; ok: true; width: number; height: number; grid: ArrayBuffer; preview: ArrayBuffer }
  | { id: number; ok: false; undecodable: boolean; message: string };

/** The worker's global scope, typed by hand because the app compiles against the DOM lib, not WebWorker. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ImageThumbnailRequest>) => void) | null;
  postMessage(message: ImageThumbnailReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = async ({ data }) => {
  let bitmap: ImageBitmap;
  try {
    // imageOrientation "from-image" applies the EXIF rotation so thumbnails stand upright.
    bitmap = await createImageBitmap(data.file, { imageOrientation: "from-image" });
  } catch (error) {
    scope.postMessage({ id: data.id, ok: false, undecodable: true, message: String(error) });
    return;
  }
  try {
    const grid = await encodeThumbnail(bitmap, bitmap.width, bitmap.height, data.gridSize, 0.8);
    const preview = await encodeThumbnail(bitmap, bitmap.width, bitmap.height, data.previewSize, 0.85);
    const reply = {
      id: data.id,
      ok: true as const,
      width: bitmap.width,
      height: bitmap.height,
      grid,
      preview,
    };
    scope.postMessage(reply, [grid, preview]);
  } catch (error) {
    scope.postMessage({ id: data.id, ok: false, undecodable: false, message: String(error) });
  } finally {
    bitmap.close();
  }
};
