import type { RecordDecryptor, ThumbnailBatchRequest, ThumbnailRequest } from "@umbra/client";
import { MetadataDecryptPool } from "./metadata-pool.js";
import { type BatchResult, ThumbnailDecryptPool } from "./thumbnail-pool.js";

/**
 * The SDK's record decryption run in the app's worker pools (the workers call the SDK's own functions), so a
 * large library's metadata and a scrolling grid's thumbnails never hold the main thread.
 */
export class WorkerDecryptor implements RecordDecryptor {
  private readonly metadataPool = new MetadataDecryptPool();
  private readonly thumbnailPool = new ThumbnailDecryptPool();

  metadata: RecordDecryptor["metadata"] = (albumKeys, jobs) => this.metadataPool.decrypt(albumKeys, jobs);

  thumbnail: RecordDecryptor["thumbnail"] = (fileKey, fileId, variant, ciphertext) =>
    this.thumbnailPool.decrypt(fileKey, fileId, variant, ciphertext);

  /** Fetches, opens and encodes a thumbnail in a worker (see ThumbnailDecryptPool.fetchDataUrl). */
  thumbnailDataUrl(
    request: ThumbnailRequest,
    fileKey: Uint8Array,
    fileId: string,
    variant: "grid" | "preview",
  ): Promise<string | undefined> {
    if (typeof Worker === "undefined") return Promise.resolve(undefined);
    return this.thumbnailPool.fetchDataUrl(request, fileKey, fileId, variant);
  }

  /** Fetches and opens several thumbnails in one worker (see ThumbnailDecryptPool.fetchDataUrls). */
  thumbnailDataUrls(
    request: ThumbnailBatchRequest,
    items: readonly { fileId: string; fileKey: Uint8Array }[],
    variant: "grid" | "preview",
  ): Promise<BatchResult[]> {
    if (typeof Worker === "undefined") return Promise.resolve(items.map(() => ({ alone: true })));
    return this.thumbnailPool.fetchDataUrls(request, items, variant);
  }

  /** Starts a pool's workers ahead of need (see UmbraApi.warmPools), so the first use does not wait. */
  warm(which: "metadata" | "thumbnails"): void {
    if (typeof Worker === "undefined") return;
    if (which === "metadata") this.metadataPool.warm();
    else this.thumbnailPool.warm();
  }

  /** Stops every worker (on lock or logout, so no key copy outlives the session); they start again on use. */
  terminate(): void {
    this.thumbnailPool.terminate();
    this.metadataPool.terminate();
  }
}
