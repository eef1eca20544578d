import { ProgressTracker, type UmbraClient, type UploadSource } from "@umbra/client";
import type { LibraryItem } from "../state/media-types.js";
import { browserMediaHooks, fileSource } from "./browser-upload-source.js";

export type UploadResult =
  | { kind: "uploaded"; item: LibraryItem }
  | { kind: "duplicate"; existingId: string };

export interface BatchCallbacks {
  signal: AbortSignal;
  /** The file at this index of the batch is being read (digest, EXIF, thumbnails). */
  onStart: (index: number) => void;
  /** Plaintext bytes of the file sent so far. */
  onProgress: (index: number, bytes: number) => void;
  onResult: (index: number, result: UploadResult | { kind: "failed"; error: unknown }) => void;
}

/** Per-file start and progress (plaintext bytes) of a batch, by the source's local key. */
class BatchProgress extends ProgressTracker {
  constructor(
    private readonly started: (key: string) => void,
    private readonly report: (key: string, bytes: number) => void,
  ) {
    super();
  }
  override startFile(key: string, name: string, bytesTotal: number): void {
    super.startFile(key, name, bytesTotal);
    this.started(key);
  }
  override fileProgress(key: string, bytesDone: number): void {
    super.fileProgress(key, bytesDone);
    this.report(key, bytesDone);
  }
}

/**
 * Uploads several files in one SDK call (`jobs` at a time). One call per file made the SDK re-sync the
 * library and rebuild its duplicate index for every file, which with 10,000 items cost more main-thread
 * time than encrypting the photo. Results arrive per file; an abort stops the files not finished.
 */
export async function uploadFiles(
  client: UmbraClient,
  files: File[],
  albumId: string,
  jobs: number,
  callbacks: BatchCallbacks,
  itemOf: (fileId: string) => Promise<LibraryItem>,
): Promise<void> {
  const sources = files.map(fileSource);
  const indexOf = new Map<UploadSource, number>(sources.map((s, i) => [s, i]));
  const byKey = new Map<string, number>();
  sources.forEach((s, i) => {
    if (!byKey.has(s.localKey)) byKey.set(s.localKey, i);
  });
  const progress = new BatchProgress(
    (key) => {
      const i = byKey.get(key);
      if (i !== undefined) callbacks.onStart(i);
    },
    (key, bytes) => {
      const i = byKey.get(key);
      if (i !== undefined) callbacks.onProgress(i, bytes);
    },
  );
  const settled: Promise<void>[] = [];
  await client.upload(sources, browserMediaHooks, {
    albumId,
    jobs,
    progress,
    signal: callbacks.signal,
    onEvent: (event) => {
      const i = indexOf.get(event.source) ?? byKey.get(event.source.localKey);
      if (i === undefined) return;
      if (event.type === "uploaded") {
        settled.push(
          itemOf(event.fileId).then(
            (item) => callbacks.onResult(i, { kind: "uploaded", item }),
            (error: unknown) => callbacks.onResult(i, { kind: "failed", error }),
          ),
        );
      } else if (event.type === "skipped") {
        callbacks.onResult(i, { kind: "duplicate", existingId: event.existingId });
      } else if (event.type === "failed") {
        callbacks.onResult(i, { kind: "failed", error: event.error });
      }
    },
  });
  await Promise.all(settled);
}
