import { t } from "../i18n/index.js";
import { isSupportedMedia } from "../media/media-prep.js";
import { toasts } from "./toasts.svelte.js";
import { vault } from "./vault.svelte.js";

export type UploadState =
  | "queued"
  | "preparing"
  | "uploading"
  | "paused"
  | "done"
  | "skipped"
  | "failed"
  | "cancelled";

export interface UploadEntry {
  key: number;
  file: File;
  state: UploadState;
  bytesDone: number;
  error: string;
  controller: AbortController | null;
}

/** Files encrypted and sent at once within a batch. */
const PARALLEL = 3;
/** Batches at once: files added while one runs start at once in a second one instead of waiting. */
const MAX_BATCHES = 2;
const BATCH_MAX_FILES = 500;
let nextKey = 1;

/**
 * Uploads several files at once through the SDK, in batches (one SDK call for many files), with pause and
 * cancel per file: that aborts the file's batch, and the batch's other unfinished files queue again and
 * resume from the server's offset (tus).
 */
class UploadQueue {
  entries = $state<UploadEntry[]>([]);
  rate = $state(0);
  private batches = 0;
  private lastSample = { at: 0, bytes: 0 };

  get active(): boolean {
    return this.entries.some(
      (e) => e.state === "queued" || e.state === "preparing" || e.state === "uploading",
    );
  }

  get totals() {
    let done = 0;
    let total = 0;
    let files = 0;
    let finished = 0;
    for (const e of this.entries) {
      if (e.state === "cancelled" || e.state === "failed") continue;
      files++;
      total += e.file.size;
      done += e.state === "done" || e.state === "skipped" ? e.file.size : e.bytesDone;
      if (e.state === "done" || e.state === "skipped") finished++;
    }
    const eta = this.rate > 0 ? (total - done) / this.rate : undefined;
    return { done, total, files, finished, eta };
  }

  add(files: Iterable<File>): void {
    const accepted: UploadEntry[] = [];
    let rejected = 0;
    for (const file of files) {
      if (!isSupportedMedia(file)) {
        rejected++;
        continue;
      }
      accepted.push({ key: nextKey++, file, state: "queued", bytesDone: 0, error: "", controller: null });
    }
    if (rejected > 0) toasts.show(t("uploads.rejected", { count: rejected }));
    this.entries = [...this.entries, ...accepted];
    this.pump();
  }

  pause(key: number): void {
    const entry = this.find(key);
    if (!entry || (entry.state !== "uploading" && entry.state !== "queued" && entry.state !== "preparing"))
      return;
    entry.state = "paused";
    entry.controller?.abort();
  }

  resume(key: number): void {
    const entry = this.find(key);
    if (!entry || (entry.state !== "paused" && entry.state !== "failed")) return;
    entry.state = "queued";
    entry.error = "";
    this.pump();
  }

  cancel(key: number): void {
    const entry = this.find(key);
    if (!entry || entry.state === "done" || entry.state === "skipped") return;
    const wasRunning = entry.controller !== null;
    entry.state = "cancelled";
    entry.controller?.abort();
    if (!wasRunning) void vault.api.discardUpload(entry.file).catch(() => {});
  }

  clearFinished(): void {
    this.entries = this.entries.filter((e) => !["done", "skipped", "cancelled"].includes(e.state));
  }

  private find(key: number): UploadEntry | undefined {
    return this.entries.find((e) => e.key === key);
  }

  private pump(): void {
    while (this.batches < MAX_BATCHES) {
      const batch = this.entries
        .filter((e) => e.state === "queued" && e.controller === null)
        .slice(0, BATCH_MAX_FILES);
      if (batch.length === 0) return;
      void this.run(batch);
    }
  }

  private sample(): void {
    const now = performance.now();
    const bytes = this.entries.reduce((s, e) => s + (e.state === "uploading" ? e.bytesDone : 0), 0);
    const elapsed = (now - this.lastSample.at) / 1000;
    if (elapsed < 0.5) return;
    const delta = Math.max(0, bytes - this.lastSample.bytes);
    const instant = delta / elapsed;
    this.rate = this.rate === 0 ? instant : 0.7 * this.rate + 0.3 * instant;
    this.lastSample = { at: now, bytes };
  }

  private async run(batch: UploadEntry[]): Promise<void> {
    const controller = new AbortController();
    this.batches++;
    for (const entry of batch) entry.controller = controller;
    // Entries are read through the reactive array so state changes reach the UI.
    const live = (i: number) => this.entries.find((e) => e.key === batch[i]!.key);
    try {
      await vault.api.uploadBatch(
        batch.map((e) => e.file),
        vault.libraryAlbumId!,
        PARALLEL,
        {
          signal: controller.signal,
          onStart: (i) => {
            const entry = live(i);
            if (entry?.state === "queued") entry.state = "preparing";
          },
          onProgress: (i, bytes) => {
            const entry = live(i);
            if (!entry || controller.signal.aborted) return;
            if (entry.state === "preparing") entry.state = "uploading";
            entry.bytesDone = bytes;
            this.sample();
          },
          onResult: (i, result) => {
            const entry = live(i);
            if (!entry) return;
            if (result.kind === "duplicate") {
              entry.state = "skipped";
              entry.error = t("uploads.alreadyInLibrary");
            } else if (result.kind === "uploaded") {
              entry.state = "done";
              entry.bytesDone = entry.file.size;
              vault.added(result.item);
            } else if (!controller.signal.aborted) {
              entry.state = "failed";
              const error = result.error;
              entry.error = error instanceof Error ? error.message : String(error);
            }
          },
        },
      );
    } catch (error) {
      // The batch as a whole failed (e.g. the sync before it): every file not finished fails with it.
      if (!controller.signal.aborted) {
        for (const { key } of batch) {
          const entry = this.find(key);
          if (entry && ["queued", "preparing", "uploading"].includes(entry.state)) {
            entry.state = "failed";
            entry.error = error instanceof Error ? error.message : String(error);
          }
        }
      }
    } finally {
      this.batches--;
      for (const { key } of batch) {
        const entry = this.find(key);
        if (!entry) continue;
        entry.controller = null;
        // Interrupted by another file's pause or cancel: it queues again and resumes where it stopped.
        if (entry.state === "preparing" || entry.state === "uploading") entry.state = "queued";
        if ((entry.state as UploadState) === "cancelled")
          void vault.api.discardUpload(entry.file).catch(() => {});
      }
      if (!this.active) this.rate = 0;
      this.pump();
      if (!this.active) void vault.refreshAccount();
    }
  }
}

export const uploads = new UploadQueue();
