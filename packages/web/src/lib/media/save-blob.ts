/** Hands a decrypted blob to the browser as a file download (an <a download> on a blob: URL, no server trip). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  // The download has started by then; the URL only needs to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Decrypted image bytes (thumbnails are JPEG) as a blob: URL the CSP's img-src allows. */
export function imageUrl(bytes: Uint8Array): string {
  return URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }));
}
