import { isSupportedMedia } from "./media-prep.js";
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

const PARALLEL = 3;
let nextKey = 1;

/** Uploads several files at once through the SDK, with pause (abort, resume later from the server's offset). */
class UploadQueue {
  entries = $state<UploadEntry[]>([]);
  rate = $state(0);
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
    if (rejected > 0) toasts.show(`${rejected} file(s) skipped: not a photo or video.`);
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
    const running = this.entries.filter((e) => e.state === "preparing" || e.state === "uploading").length;
    let slots = PARALLEL - running;
    for (const entry of this.entries) {
      if (slots <= 0) break;
      if (entry.state !== "queued") continue;
      slots--;
      void this.run(entry);
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

  private async run(entry: UploadEntry): Promise<void> {
    const controller = new AbortController();
    entry.controller = controller;
    entry.state = "preparing";
    try {
      const result = await vault.api.upload(entry.file, vault.libraryAlbumId!, {
        signal: controller.signal,
        onStage: (stage) => {
          if (entry.state === "preparing" && stage === "uploading") entry.state = "uploading";
        },
        onProgress: (bytes) => {
          entry.bytesDone = bytes;
          this.sample();
        },
      });
      if (result.kind === "duplicate") {
        entry.state = "skipped";
        entry.error = "Already in your library";
      } else {
        entry.state = "done";
        entry.bytesDone = entry.file.size;
        vault.added(result.item);
      }
    } catch (error) {
      if (controller.signal.aborted) {
        if ((entry.state as UploadState) === "cancelled")
          void vault.api.discardUpload(entry.file).catch(() => {});
      } else {
        entry.state = "failed";
        entry.error = error instanceof Error ? error.message : String(error);
      }
    } finally {
      entry.controller = null;
      if (!this.active) this.rate = 0;
      this.pump();
      if (!this.active) void vault.refreshAccount();
    }
  }
}

export const uploads = new UploadQueue();
