/** Scales a decoded image or video frame to fit `max` pixels and encodes it as JPEG (main thread or worker). */
export async function encodeThumbnail(
  source: ImageBitmap | HTMLVideoElement,
  w: number,
  h: number,
  max: number,
  quality: number,
): Promise<ArrayBuffer> {
  const scale = Math.min(1, max / Math.max(w, h));
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  const canvas = new OffscreenCanvas(tw, th);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("2D canvas unavailable");
  ctx.drawImage(source, 0, 0, tw, th);
  const blob = await canvas.convertToBlob({ type: "image/jpeg", quality });
  return blob.arrayBuffer();
}
