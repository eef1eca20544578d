import type { FileMetadata } from "@umbra/client";

/** Image types every browser the app supports decodes in an <img> (HEIC and camera RAW files do not). */
const DISPLAYABLE = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
]);

/** Above this the original is not decrypted into memory just to zoom; the preview stays. */
export const ORIGINAL_MAX_BYTES = 200 * 1000 * 1000;

/** Whether zooming in swaps the preview for the decrypted original: a type an <img> shows, of a sensible size. */
export function zoomShowsOriginal(meta: Pick<FileMetadata, "mime" | "size">): boolean {
  return DISPLAYABLE.has(meta.mime.toLowerCase()) && meta.size <= ORIGINAL_MAX_BYTES;
}

/**
 * The original's bytes as a blob: URL whose image is already decoded, so putting it in place of the preview
 * shows it in the same frame, without a blank or a jump. The caller revokes the URL.
 */
export async function decodedImageUrl(bytes: Blob, mime: string): Promise<string> {
  const url = URL.createObjectURL(bytes.type === mime ? bytes : new Blob([bytes], { type: mime }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return url;
  } catch (e) {
    URL.revokeObjectURL(url);
    throw e;
  }
}
