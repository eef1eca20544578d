import { concurrencyLimit } from "../util/limit.js";
import { imageUrl } from "./save-blob.js";

export type ImageVariant = "grid" | "preview";

/**
 * Decrypted images of one gallery (a shared album or a public link) as blob: URLs, fetched a few at a time
 * and remembered until the gallery closes, when every URL is revoked.
 */
export class ObjectUrlCache {
  private readonly urls = new Map<string, Promise<string>>();
  private readonly made: string[] = [];
  private readonly limit = concurrencyLimit(3);
  private disposed = false;

  constructor(private readonly load: (fileId: string, variant: ImageVariant) => Promise<Uint8Array>) {}

  get(fileId: string, variant: ImageVariant): Promise<string> {
    const key = `${variant}:${fileId}`;
    let url = this.urls.get(key);
    if (!url) {
      url = this.limit(() => this.load(fileId, variant)).then((bytes) => {
        const made = imageUrl(bytes);
        if (this.disposed) URL.revokeObjectURL(made);
        else this.made.push(made);
        return made;
      });
      // A failure is not cached: the next look tries again.
      url.catch(() => this.urls.delete(key));
      this.urls.set(key, url);
    }
    return url;
  }

  dispose(): void {
    this.disposed = true;
    for (const url of this.made) URL.revokeObjectURL(url);
    this.made.length = 0;
    this.urls.clear();
  }
}
