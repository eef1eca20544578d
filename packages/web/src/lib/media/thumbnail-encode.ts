export const GRID_SIZE = 256;
export const PREVIEW_SIZE = 1440;

/**
 * Scales a decoded image or video frame to fit `max` pixels and encodes it as JPEG (grid tiles a little more
 * compressed than previews). Runs on the page and in workers (OffscreenCanvas).
 */
export async function encodeThumbnail(
  source: ImageBitmap | HTMLVideoElement,
  w: number,
  h: number,
  max: number,
): Promise<Uint8Array> {
  const scale = Math.min(1, max / Math.max(w, h));
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  const canvas = new OffscreenCanvas(tw, th);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("2D canvas unavailable");
  ctx.drawImage(source, 0, 0, tw, th);
  const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: max <= GRID_SIZE ? 0.8 : 0.85 });
  return new Uint8Array(await blob.arrayBuffer());
}
