/**
 * Decrypts file metadata in batches in module workers, so a large library's first sync never holds the main
 * thread (it used to decrypt 10,000 items one after another there before the first thumbnail was fetched).
 * Separate from the thumbnail pool, so a thumbnail that scrolled into view never queues behind a batch.
 */
import type { MetadataJob, MetadataOutcome } from "@umbra/client";
import { WorkerPool } from "./worker-pool.js";

export interface MetadataBatchRequest {
  id: number;
  albumKeys: Record<string, Uint8Array>;
  items: readonly MetadataJob[];
}

export interface MetadataBatchReply {
  id: number;
  results: MetadataOutcome[];
}

/** Its workers start on first use or `warm` (during login's key derivation), and stop on `terminate` (lock, logout). */
export class MetadataDecryptPool extends WorkerPool<MetadataBatchRequest, MetadataBatchReply> {
  constructor(size = 2) {
    super(
      (i) =>
        new Worker(new URL("./metadata-worker.ts", import.meta.url), {
          type: "module",
          name: `metadata-decrypt-${i}`,
        }),
      size,
      "Metadata decryption",
    );
  }

  /** One result per item, in order; a failed item does not fail the batch. Album keys are sent as copies. */
  async decrypt(
    albumKeys: ReadonlyMap<string, Uint8Array>,
    items: readonly MetadataJob[],
  ): Promise<MetadataOutcome[]> {
    if (items.length === 0) return [];
    const keys: Record<string, Uint8Array> = {};
    for (const item of items) keys[item.keyRef] ??= albumKeys.get(item.keyRef)!.slice();
    const { reply } = this.post((id) => ({ id, albumKeys: keys, items }));
    return (await reply).results;
  }
}
