import { encryptThumbnail, toBase64Url } from "@umbra/crypto";
import { type FileRecord, FileRecord as FileRecordSchema } from "@umbra/protocol";
import { ApiError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import { encryptFileMetadata } from "./keys.js";
import type { Library } from "./library.js";
import type { FileMetadata, MediaHooks, UploadSource } from "./metadata.js";
import type { KeyValueStore } from "./store.js";
import type { PendingUpload, UploadResumeState } from "./upload-resume-state.js";

/** The local duplicate index: keyed content digest → file id. */
export const DEDUP_PREFIX = "dedup:";

export type Extracted = Awaited<ReturnType<MediaHooks["extract"]>>;

/**
 * The last step of an upload whose content is on the server: metadata and thumbnails encrypted, the file
 * committed (POST /api/files), recorded in the library and the duplicate index, its resume state dropped.
 */
export class UploadCommitter {
  /** Writes of the duplicate index still going (see finish). */
  private readonly indexWrites = new Set<Promise<void>>();

  constructor(
    private readonly deps: { http: HttpTransport; store: KeyValueStore; library: Library },
    private readonly resume: UploadResumeState,
  ) {}

  /** Every duplicate index write started so far has ended. */
  async indexWritten(): Promise<void> {
    await Promise.all(this.indexWrites);
  }

  async finish(
    source: UploadSource,
    pending: PendingUpload,
    fileKey: Uint8Array,
    uploadId: string,
    extracted: Extracted,
    pendingKey: string,
  ): Promise<string> {
    const { store, library } = this.deps;
    const { fileId, albumId, digest } = pending;
    const metadata: FileMetadata = {
      ...extracted.info,
      name: source.name,
      mime: source.mime ?? extracted.info.mime ?? "application/octet-stream",
      size: source.size,
      contentDigest: digest,
      extra: {
        // What the media hook found (e.g. a video's codecs); the pipeline's own facts come after and win.
        ...extracted.info.extra,
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
    // The stored metadata (what we sent, or what an earlier run of ours committed under this id before a crash).
    await library.vouchForUpload(record.id, record.encryptedMetadata, albumId);
    // Not waited for: the index is a cache (rebuilt from the synced library when lost), and in the CLI each
    // write rewrites the whole local store, which per file cost more than the file with a large library.
    const indexed = store.set(DEDUP_PREFIX + digest, fileId).catch(() => undefined);
    this.indexWrites.add(indexed);
    void indexed.finally(() => this.indexWrites.delete(indexed));
    await this.resume.done(pendingKey);
    return fileId;
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
}
