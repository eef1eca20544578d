import {
  ciphertextLength,
  contentDigest,
  DEFAULT_SEGMENT_SIZE,
  encryptThumbnail,
  fromBase64Url,
  generateFileKey,
  padmeLength,
  toBase64Url,
} from "@umbra/crypto";
import { type FileRecord, FileRecord as FileRecordSchema } from "@umbra/protocol";
import * as tus from "tus-js-client";
import { z } from "zod";
import { EncryptedSource } from "./encrypted-source.js";
import { ApiError, codeForStatus, UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import { newId } from "./ids.js";
import { contentAssociatedData, encryptFileMetadata, unwrapFileKeyFor, wrapFileKeyFor } from "./keys.js";
import type { Library } from "./library.js";
import type { FileMetadata, MediaHooks, UploadSource } from "./metadata.js";
import { ProgressTracker } from "./progress.js";
import { createReplayableEncryptStream, STREAM_RANDOM_LENGTH } from "./replayable-encrypt.js";
import type { KeyValueStore } from "./store.js";
import { KeyValueUrlStorage } from "./tus-url-storage.js";

export type UploadEvent =
  | { type: "started"; source: UploadSource; resumed: boolean }
  | { type: "uploaded"; source: UploadSource; fileId: string }
  | { type: "skipped"; source: UploadSource; reason: "duplicate"; existingId: string }
  | { type: "failed"; source: UploadSource; error: unknown }
  | { type: "note"; source: UploadSource; message: string }
  /** An interrupted upload continues: `offset` ciphertext bytes were already on the server. */
  | { type: "resumed"; source: UploadSource; offset: number };

export interface UploadOptions {
  /** Target album; the library album when absent. */
  albumId?: string;
  /** Files uploaded at once. */
  jobs?: number;
  /** Bytes per tus PATCH: with `jobs` this bounds the memory an upload holds. */
  chunkSize?: number;
  segmentSize?: number;
  onEvent?: (event: UploadEvent) => void;
  progress?: ProgressTracker;
  signal?: AbortSignal;
}

export interface UploadSummary {
  uploaded: { source: UploadSource; fileId: string }[];
  skipped: { source: UploadSource; existingId: string }[];
  failed: { source: UploadSource; error: unknown }[];
}

/** What survives a crash so that a re-run resumes the same upload: same file id, key and stream header. */
const PendingUpload = z.object({
  fileId: z.string(),
  albumId: z.string(),
  digest: z.string(),
  size: z.number(),
  segmentSize: z.number(),
  /** The file key wrapped by the album key, never in the clear. */
  wrappedFileKey: z.string(),
  /** The stream header's random salt and nonce prefix: re-encryption must produce the same bytes. */
  streamRandom: z.string(),
});
type PendingUpload = z.infer<typeof PendingUpload>;

const DEDUP_PREFIX = "dedup:";
const PENDING_PREFIX = "pending:";

async function sha256Base64Url(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return toBase64Url(new Uint8Array(digest));
}

export interface UploaderDeps {
  http: HttpTransport;
  store: KeyValueStore;
  library: Library;
  userId: string;
  dedupKey: Uint8Array;
  hooks: MediaHooks;
}

/**
 * The upload pipeline, per file: keyed digest (duplicate check) → media hook (metadata, thumbnails) →
 * streaming encryption feeding a resumable tus upload → POST /api/files. Several files run at once.
 */
export class Uploader {
  private readonly urlStorage: KeyValueUrlStorage;
  private readonly inFlightDigests = new Set<string>();

  constructor(private readonly deps: UploaderDeps) {
    this.urlStorage = new KeyValueUrlStorage(deps.store);
  }

  /** Fills the local duplicate index from the synced library (digests live only in encrypted metadata). */
  async indexLibrary(): Promise<void> {
    for (const entry of await this.deps.library.files()) {
      const digest = entry.metadata.contentDigest;
      if (digest && !(await this.deps.store.get(DEDUP_PREFIX + digest))) {
        await this.deps.store.set(DEDUP_PREFIX + digest, entry.id);
      }
    }
  }

  private async existingDuplicate(digest: string): Promise<string | undefined> {
    const id = await this.deps.store.get(DEDUP_PREFIX + digest);
    if (!id) return undefined;
    const record = this.deps.library.state?.files[id];
    // An index entry whose file is gone (deleted elsewhere) is stale: forget it and upload again.
    if (this.deps.library.state && !record) {
      await this.deps.store.delete(DEDUP_PREFIX + digest);
      return undefined;
    }
    return id;
  }

  async uploadAll(sources: UploadSource[], options: UploadOptions = {}): Promise<UploadSummary> {
    const albumId = options.albumId ?? (await this.deps.library.libraryAlbumId());
    const progress = options.progress ?? new ProgressTracker();
    progress.addFiles(
      sources.length,
      sources.reduce((sum, s) => sum + s.size, 0),
    );
    const summary: UploadSummary = { uploaded: [], skipped: [], failed: [] };
    const queue = [...sources];
    const worker = async () => {
      for (let source = queue.shift(); source; source = queue.shift()) {
        if (options.signal?.aborted) return;
        const key = source.localKey;
        progress.startFile(key, source.name, source.size);
        try {
          const result = await this.uploadOne(source, albumId, options, (bytes) =>
            progress.fileProgress(key, bytes),
          );
          if (result.kind === "skipped") {
            summary.skipped.push({ source, existingId: result.fileId });
            options.onEvent?.({ type: "skipped", source, reason: "duplicate", existingId: result.fileId });
          } else {
            summary.uploaded.push({ source, fileId: result.fileId });
            options.onEvent?.({ type: "uploaded", source, fileId: result.fileId });
          }
          progress.finishFile(key, result.kind === "skipped");
        } catch (error) {
          progress.failFile(key);
          summary.failed.push({ source, error });
          options.onEvent?.({ type: "failed", source, error });
          // Quota and auth failures will fail every other file too: stop early.
          if (error instanceof ApiError && ["QUOTA_EXCEEDED", "UNAUTHORIZED"].includes(error.code)) {
            queue.length = 0;
          }
        }
      }
    };
    const jobs = Math.max(1, Math.min(options.jobs ?? 3, 16));
    await Promise.all(Array.from({ length: jobs }, worker));
    return summary;
  }

  async uploadOne(
    source: UploadSource,
    albumId: string,
    options: UploadOptions,
    onBytes: (plaintextBytes: number) => void,
  ): Promise<{ kind: "uploaded" | "skipped"; fileId: string }> {
    const { store, library } = this.deps;
    const digest = await contentDigest(this.deps.dedupKey, source.open());
    const pendingKey = PENDING_PREFIX + (await sha256Base64Url(source.localKey));
    const existing = await this.existingDuplicate(digest);
    if (existing) {
      await this.forgetPending(pendingKey);
      return { kind: "skipped", fileId: existing };
    }
    if (this.inFlightDigests.has(digest)) return { kind: "skipped", fileId: "(same file in this run)" };
    this.inFlightDigests.add(digest);
    try {
      const albumKey = await library.albumKey(albumId);
      let pending = await this.loadPending(pendingKey);
      let fileKey: Uint8Array;
      // Resume only when the plaintext is provably the same (same keyed digest): re-encrypting other bytes
      // under the recorded nonces would be a nonce reuse.
      if (
        pending &&
        pending.digest === digest &&
        pending.albumId === albumId &&
        pending.size === source.size
      ) {
        fileKey = await unwrapFileKeyFor(albumKey, albumId, pending.fileId, pending.wrappedFileKey);
      } else {
        const fileId = newId("f");
        fileKey = generateFileKey();
        const streamRandom = crypto.getRandomValues(new Uint8Array(STREAM_RANDOM_LENGTH));
        pending = {
          fileId,
          albumId,
          digest,
          size: source.size,
          segmentSize: options.segmentSize ?? DEFAULT_SEGMENT_SIZE,
          wrappedFileKey: await wrapFileKeyFor(albumKey, albumId, fileId, fileKey),
          streamRandom: toBase64Url(streamRandom),
        };
        await store.set(pendingKey, JSON.stringify(pending));
      }
      const fileId = pending.fileId;
      const extracted = await this.deps.hooks.extract(source);
      if (extracted.note) options.onEvent?.({ type: "note", source, message: extracted.note });
      const uploadId = await this.sendContent(source, pending, fileKey, options, onBytes);
      const metadata: FileMetadata = {
        ...extracted.info,
        name: source.name,
        mime: source.mime ?? extracted.info.mime ?? "application/octet-stream",
        size: source.size,
        contentDigest: digest,
        extra: {
          segmentSize: pending.segmentSize,
          ...(source.lastModified !== undefined && {
            modifiedAt: new Date(source.lastModified).toISOString(),
          }),
        },
      };
      const empty = new Uint8Array(0);
      const [grid, preview, encryptedMetadata] = await Promise.all([
        encryptThumbnail(fileKey, fileId, "grid", extracted.thumbnails?.grid ?? empty),
        encryptThumbnail(fileKey, fileId, "preview", extracted.thumbnails?.preview ?? empty),
        encryptFileMetadata(fileKey, fileId, metadata),
      ]);
      const record = await this.commit({
        id: fileId,
        uploadId,
        albumId,
        wrappedFileKey: pending.wrappedFileKey,
        encryptedMetadata,
        thumbnails: { grid: toBase64Url(grid), preview: toBase64Url(preview) },
      });
      await library.remember(record);
      await store.set(DEDUP_PREFIX + digest, fileId);
      await store.delete(pendingKey);
      return { kind: "uploaded", fileId };
    } finally {
      this.inFlightDigests.delete(digest);
    }
  }

  /** Drops the resume state of a file that no longer needs uploading (the server expires its partial upload). */
  private async forgetPending(pendingKey: string): Promise<void> {
    const pending = await this.loadPending(pendingKey);
    if (!pending) return;
    for (const previous of await this.urlStorage.findUploadsByFingerprint(`umbra-${pending.fileId}`)) {
      await this.urlStorage.removeUpload(previous.urlStorageKey);
    }
    await this.deps.store.delete(pendingKey);
  }

  private async loadPending(key: string): Promise<PendingUpload | undefined> {
    const raw = await this.deps.store.get(key);
    if (!raw) return undefined;
    const parsed = PendingUpload.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  /** POST /api/files; a 409 for our own id means an earlier run committed it and crashed just after. */
  private async commit(body: Record<string, unknown> & { id: string }): Promise<FileRecord> {
    try {
      return await this.deps.http.json("/api/files", FileRecordSchema, { body });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        return this.deps.http.json(`/api/files/${body.id}`, FileRecordSchema);
      }
      throw error;
    }
  }

  /** Streams the encrypted content through tus; resolves to the server's upload id. */
  private sendContent(
    source: UploadSource,
    pending: PendingUpload,
    fileKey: Uint8Array,
    options: UploadOptions,
    onBytes: (plaintextBytes: number) => void,
  ): Promise<string> {
    const { http } = this.deps;
    const paddedLength = padmeLength(source.size);
    const totalCiphertext = ciphertextLength(paddedLength, pending.segmentSize);
    const streamRandom = fromBase64Url(pending.streamRandom);
    const openCiphertext = () =>
      source.open().pipeThrough(
        createReplayableEncryptStream(
          fileKey,
          {
            associatedData: contentAssociatedData(pending.fileId),
            segmentSize: pending.segmentSize,
            padToLength: paddedLength,
          },
          streamRandom,
        ),
      );
    const reportCiphertext = (sent: number) =>
      onBytes(Math.min(source.size, Math.round((sent / totalCiphertext) * source.size)));
    return new Promise<string>((resolve, reject) => {
      // The input is unused: the custom fileReader below produces the ciphertext.
      const placeholder = { read: () => Promise.resolve({ done: true as const, value: undefined }) };
      const upload = new tus.Upload(placeholder, {
        endpoint: http.url("/api/uploads"),
        uploadSize: totalCiphertext,
        chunkSize: options.chunkSize ?? 8 * 1024 * 1024,
        headers: http.authHeaders(),
        metadata: {},
        retryDelays: [0, 500, 1500, 4000],
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        urlStorage: this.urlStorage,
        fingerprint: async () => `umbra-${pending.fileId}`,
        fileReader: {
          openFile: async () => {
            const encrypted = new EncryptedSource(totalCiphertext, openCiphertext);
            let first = true;
            return {
              size: totalCiphertext,
              close: () => encrypted.close(),
              slice: (start: number, end: number) => {
                if (first && start > 0) options.onEvent?.({ type: "resumed", source, offset: start });
                first = false;
                // tus reads a slice's length from `size` (as on a Blob) for Content-Length and its checks.
                return encrypted
                  .slice(start, end)
                  .then(({ value, done }) => ({ value: Object.assign(value, { size: value.length }), done }));
              },
            };
          },
        },
        onShouldRetry: (error) => {
          const status = error.originalResponse?.getStatus() ?? 0;
          // No retry for answers that will not change: quota, auth, validation.
          return (
            status === 0 ||
            status === 409 ||
            status === 423 ||
            status === 429 ||
            (status >= 500 && status !== 507)
          );
        },
        onProgress: (sent) => reportCiphertext(sent),
        onSuccess: () => {
          const url = upload.url ?? "";
          const uploadId = url.split("/").pop() ?? "";
          options.signal?.removeEventListener("abort", onAbort);
          resolve(uploadId);
        },
        onError: (error) => {
          options.signal?.removeEventListener("abort", onAbort);
          reject(tusError(error));
        },
      });
      const onAbort = () => {
        // Keep the upload on the server (no termination): a re-run resumes it.
        void upload.abort(false);
        reject(new UmbraClientError("ABORTED", "Upload interrupted"));
      };
      options.signal?.addEventListener("abort", onAbort, { once: true });
      upload
        .findPreviousUploads()
        .then((previous) => {
          const last = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
          if (last) upload.resumeFromPreviousUpload(last);
          upload.start();
        })
        .catch(reject);
    });
  }
}

function tusError(error: Error): Error {
  const detailed = error as tus.DetailedError;
  const response = detailed.originalResponse;
  if (response) {
    const status = response.getStatus();
    let code: string = codeForStatus(status);
    let message = `Upload failed with HTTP ${status}`;
    try {
      const body = JSON.parse(response.getBody()) as { error?: { code?: string; message?: string } };
      if (body.error?.code) code = body.error.code;
      if (body.error?.message) message = body.error.message;
    } catch {
      // Not JSON.
    }
    return new ApiError(code, message, status);
  }
  return new UmbraClientError("NETWORK", `Upload failed: ${error.message}`, { cause: error });
}
