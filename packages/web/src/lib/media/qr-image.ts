import { renderSVG } from "uqr";

/**
 * A QR code as a blob: URL for an <img>: the SVG is made locally (no third-party service sees the payload)
 * and shown as an image, so the strict CSP needs no inline markup or styles.
 */
export function qrImageUrl(payload: string): string {
  const svg = renderSVG(payload, { ecc: "M", border: 2, pixelSize: 8 });
  return URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
}
