/**
 * Decrypts file metadata in batches in module workers, so a large library's first sync never holds the main
 * thread (it used to decrypt 10,000 items one after another there before the first thumbnail was fetched).
 * Separate from the thumbnail pool, so a thumbnail that scrolled into view never queues behind a batch.
 */
import type { FileMetadata } from "@umbra/client";

export interface MetadataBatchItem {
  fileId: string;
  /** An album of the file and the file key's wrapping under it (bound to the album id). */
  albumId: string;
  /** Which of the request's album keys opens that wrapping (an album can have rotated keys). */
  keyRef: string;
  wrappedFileKey: string;
  encryptedMetadata: string;
}

export interface MetadataBatchRequest {
  id: number;
  albumKeys: Record<string, Uint8Array>;
  items: MetadataBatchItem[];
}

export type MetadataResult =
  | { ok: true; metadata: FileMetadata }
  | { ok: false; code: string; message: string };

export interface MetadataBatchReply {
  id: number;
  results: MetadataResult[];
}

interface Slot {
  worker: Worker;
  busy: number;
}

interface Waiter {
  slot: Slot;
  resolve: (results: MetadataResult[]) => void;
  reject: (error: unknown) => void;
}

export class MetadataDecryptPool {
  private slots: Slot[] = [];
  private readonly waiters = new Map<number, Waiter>();
  private nextId = 1;

  constructor(private readonly size = 2) {}

  /** Starts the workers ahead of need (during login's key derivation), so the first use does not wait. */
  warm(): void {
    if (this.slots.length === 0) this.start();
  }

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(new URL("./metadata-worker.ts", import.meta.url), {
        type: "module",
        name: `metadata-decrypt-${i}`,
      });
      const slot: Slot = { worker, busy: 0 };
      worker.onmessage = (event: MessageEvent<MetadataBatchReply>) => this.settle(slot, event.data);
      worker.onerror = (event) => this.fail(slot, new Error(`Metadata worker failed: ${event.message}`));
      this.slots.push(slot);
    }
  }

  /** One result per item, in order; a failed item does not fail the batch. Album keys are sent as copies. */
  decrypt(albumKeys: Map<string, Uint8Array>, items: MetadataBatchItem[]): Promise<MetadataResult[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (this.slots.length === 0) this.start();
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    const id = this.nextId++;
    const keys: Record<string, Uint8Array> = {};
    for (const item of items) keys[item.keyRef] ??= albumKeys.get(item.keyRef)!.slice();
    return new Promise((resolve, reject) => {
      this.waiters.set(id, { slot, resolve, reject });
      const request: MetadataBatchRequest = { id, albumKeys: keys, items };
      slot.worker.postMessage(request);
    });
  }

  private settle(slot: Slot, reply: MetadataBatchReply): void {
    const waiter = this.waiters.get(reply.id);
    if (!waiter) return;
    this.waiters.delete(reply.id);
    slot.busy--;
    waiter.resolve(reply.results);
  }

  private fail(slot: Slot, error: Error): void {
    for (const [id, waiter] of this.waiters) {
      if (waiter.slot !== slot) continue;
      this.waiters.delete(id);
      slot.busy--;
      waiter.reject(error);
    }
  }

  /** Stops the workers (on lock or logout); they start again on the next batch. */
  terminate(): void {
    for (const slot of this.slots) {
      slot.worker.terminate();
      this.fail(slot, new Error("Metadata decryption stopped"));
    }
    this.slots = [];
  }
}
