// libheif (LGPL-3.0, compiled to WebAssembly): decodes HEIC/HEIF, which Chromium cannot. Loaded only in this
// worker, started only when such a file is uploaded; wasm compiles synchronously here, which a page may not do.
import libheif from "libheif-js/libheif-wasm/libheif-bundle.mjs";
import { encodeThumbnail } from "../media/thumbnail-encode.js";

/** A HEIC/HEIF file's bytes (transferred) and the thumbnail sizes to draw. */
export interface HeicRequest {
  id: number;
  bytes: ArrayBuffer;
  gridSize: number;
  previewSize: number;
}

export type HeicReply =
  | { id: number; ok: true; width: number; height: number; grid: ArrayBuffer; preview: ArrayBuffer }
  | { id: number; ok: false; message: string };

interface HeifImage {
  get_width(): number;
  get_height(): number;
  display(target: ImageData, done: (result: ImageData | null) => void): void;
  free?(): void;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<HeicRequest>) => void) | null;
  postMessage(message: HeicReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
let decoder: { decode(bytes: Uint8Array): HeifImage[] } | undefined;

async function draw(request: HeicRequest): Promise<HeicReply> {
  decoder ??= new (libheif() as { HeifDecoder: new () => NonNullable<typeof decoder> }).HeifDecoder();
  const [image] = decoder.decode(new Uint8Array(request.bytes));
  if (!image) throw new Error("no image in this HEIF file");
  try {
    const width = image.get_width();
    const height = image.get_height();
    const pixels = await new Promise<ImageData>((resolve, reject) =>
      image.display(new ImageData(width, height), (result) =>
        result ? resolve(result) : reject(new Error("HEIF decoding failed")),
      ),
    );
    const bitmap = await createImageBitmap(pixels);
    try {
      const grid = (await encodeThumbnail(bitmap, width, height, request.gridSize)).buffer as ArrayBuffer;
      const preview = (await encodeThumbnail(bitmap, width, height, request.previewSize))
        .buffer as ArrayBuffer;
      return { id: request.id, ok: true, width, height, grid, preview };
    } finally {
      bitmap.close();
    }
  } finally {
    image.free?.();
  }
}

scope.onmessage = async ({ data }) => {
  try {
    const reply = await draw(data);
    scope.postMessage(reply, reply.ok ? [reply.grid, reply.preview] : []);
  } catch (error) {
    scope.postMessage({
      id: data.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
