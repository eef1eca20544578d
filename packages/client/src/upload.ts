import {
  contentDigest,
  fromBase64Url,
  generateFileKey,
  InvalidInputError,
  padmeLength,
  toBase64Url,
} from "@umbra/crypto";
import { ciphertextLength, createEncryptStream, generateStreamHeader } from "@umbra/crypto/stream";
import { contentSegmentSize } from "./content-segment-size.js";
import { ApiError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import { newId } from "./ids.js";
import { contentAssociatedData, unwrapFileKeyFor, wrapFileKeyFor } from "./keys.js";
import type { Library } from "./library.js";
import type { MediaHooks, UploadSource } from "./metadata.js";
import { canStreamRequestBodies } from "./node-stream-body.js";
import { ProgressTracker } from "./progress.js";
import type { KeyValueStore } from "./store.js";
import { uploadCiphertext } from "./tus-content-upload.js";
import { gateAfter, prefixBytesOf, prefixDigestOf } from "./upload-before-digest.js";
import { DEDUP_PREFIX, type Extracted, UploadCommitter } from "./upload-commit.js";
import { type PendingUpload, tusFingerprint, UploadResumeState } from "./upload-resume-state.js";

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
  /** Bytes per tus PATCH (default: 64 MiB streamed in Node, 8 MiB buffered in browsers, see tus-content-upload.ts). */
  chunkSize?: number;
  /** Plaintext bytes per encrypted segment (default: by the file's MIME type, see content-segment-size.ts). */
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

/**
 * Smaller files keep no resume state: after a crash they are sent again from the start (at most 16 MiB
 * each, for the few files in flight). Resume state costs several writes of the client's whole local store
 * per file, which for a folder of photos took more time than sending them.
 */
export const RESUMABLE_MIN_BYTES = 16 * 1024 * 1024;

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
  private readonly resume: UploadResumeState;
  /**
   * Files of this run still being uploaded or committed, by digest: resolves to the file id once committed,
   * or undefined if that upload failed. A copy met meanwhile waits for it and is skipped as its duplicate.
   */
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private readonly committer: UploadCommitter;
  /** Plaintext sizes of the library's files (see canSendBeforeDigest); known once indexLibrary ran. */
  private librarySizes: Set<number> | undefined;
  /** By size: files sent before their digest was known, until it is (see sendBeforeDigest). */
  private readonly sizeGates = new Map<number, Promise<void>>();

  constructor(private readonly deps: UploaderDeps) {
    this.resume = UploadResumeState.of(deps.store);
    this.committer = new UploadCommitter(deps, this.resume);
  }

  /** Fills the local duplicate index from the synced library (digests live only in encrypted metadata). */
  async indexLibrary(): Promise<void> {
    const sizes = new Set<number>();
    for (const entry of await this.deps.library.files()) {
      sizes.add(entry.metadata.size);
      const digest = entry.metadata.contentDigest;
      if (digest && !(await this.deps.store.get(DEDUP_PREFIX + digest))) {
        await this.deps.store.set(DEDUP_PREFIX + digest, entry.id);
      }
    }
    this.librarySizes = sizes;
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
    const jobs = Math.max(1, Math.min(options.jobs ?? 3, 16));
    // Files whose content is on the server but whose commit (and local bookkeeping) is still running. The
    // worker goes on to the next file meanwhile: the commit mostly waits for the server's fsyncs, and
    // waiting for it left both sides idle. Bounded, so at most `jobs` commits are outstanding.
    const finishing = new Set<Promise<void>>();
    const failed = (source: UploadSource, error: unknown) => {
      progress.failFile(source.localKey);
      summary.failed.push({ source, error });
      options.onEvent?.({ type: "failed", source, error });
      // Quota and auth failures will fail every other file too: stop early.
      if (error instanceof ApiError && ["QUOTA_EXCEEDED", "UNAUTHORIZED"].includes(error.code)) {
        queue.length = 0;
      }
    };
    const worker = async () => {
      for (let source = queue.shift(); source; source = queue.shift()) {
        if (options.signal?.aborted) return;
        const key = source.localKey;
        progress.startFile(key, source.name, source.size);
        try {
          const sent = await this.sendOne(source, albumId, options, (bytes) =>
            progress.fileProgress(key, bytes),
          );
          if (sent.kind === "skipped") {
            summary.skipped.push({ source, existingId: sent.fileId });
            options.onEvent?.({ type: "skipped", source, reason: "duplicate", existingId: sent.fileId });
            progress.finishFile(key, true);
            continue;
          }
          const done = sent.finish.then(
            (fileId) => {
              summary.uploaded.push({ source, fileId });
              options.onEvent?.({ type: "uploaded", source, fileId });
              progress.finishFile(key, false);
            },
            (error: unknown) => failed(source, error),
          );
          finishing.add(done);
          void done.finally(() => finishing.delete(done));
          while (finishing.size >= jobs) await Promise.race(finishing);
        } catch (error) {
          failed(source, error);
        }
      }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
    await Promise.all(finishing);
    await this.committer.indexWritten();
    // The local cache holds every committed file before the call returns (a CLI run may exit right after);
    // a failed save of that cache loses nothing (the next sync brings the records back).
    await this.deps.library.flush().catch(() => undefined);
    return summary;
  }

  async uploadOne(
    source: UploadSource,
    albumId: string,
    options: UploadOptions,
    onBytes: (plaintextBytes: number) => void,
  ): Promise<{ kind: "uploaded" | "skipped"; fileId: string }> {
    const sent = await this.sendOne(source, albumId, options, onBytes);
    return sent.kind === "skipped" ? sent : { kind: "uploaded", fileId: await sent.finish };
  }

  /**
   * Duplicate check, resume state and the content upload; then `finish` (already running) encrypts the
   * metadata and thumbnails, commits the file and records it locally, resolving to the file id.
   */
  private async sendOne(
    source: UploadSource,
    albumId: string,
    options: UploadOptions,
    onBytes: (plaintextBytes: number) => void,
  ): Promise<{ kind: "skipped"; fileId: string } | { kind: "sent"; finish: Promise<string> }> {
    const pendingKey = await this.resume.keyOf(source.localKey);
    const digesting = this.digestOf(source);
    // Awaited below; this only keeps a failure from being unhandled while the upload runs.
    digesting.catch(() => {});
    if (await this.canSendBeforeDigest(source, pendingKey)) {
      return this.sendBeforeDigest(source, albumId, options, onBytes, pendingKey, digesting);
    }
    this.librarySizes?.add(source.size);
    // A file of the same size sent before its digest was known: its digest is in inFlight once this resolves.
    await this.sizeGates.get(source.size);
    const digest = await digesting;
    const existing = await this.existingDuplicate(digest);
    if (existing) {
      await this.resume.forget(pendingKey);
      return { kind: "skipped", fileId: existing };
    }
    const earlierId = await this.earlierCopy(digest);
    if (earlierId) return { kind: "skipped", fileId: earlierId };
    const done = this.markInFlight(digest);
    const resumable = source.size >= RESUMABLE_MIN_BYTES;
    try {
      const albumKey = await this.deps.library.albumKey(albumId);
      const earlier = await this.resume.load(pendingKey);
      const resumed = (await this.provenSame(earlier, source, albumId, digest))
        ? {
            pending: { ...earlier!, digest },
            fileKey: await unwrapFileKeyFor(albumKey, albumId, earlier!.fileId, earlier!.wrappedFileKey),
          }
        : undefined;
      const { pending, fileKey } =
        resumed ?? (await this.newPending(source, albumId, albumKey, digest, options));
      if (resumable && (!resumed || !earlier?.digest)) await this.resume.save(pendingKey, pending);
      const extracting = this.extract(source, options);
      const uploadId = await this.sendContent(source, pending, fileKey, options, resumable, onBytes);
      return {
        kind: "sent",
        finish: this.finishing(source, pending, fileKey, uploadId, await extracting, pendingKey, done),
      };
    } catch (error) {
      done(undefined);
      throw error;
    }
  }

  /**
   * A new large file whose size no file in the library or in flight has cannot be a duplicate: its upload
   * starts at once instead of after its digest (reading and hashing a large file first left the upload
   * waiting for as long as a third of its own time). The digest, still checked, then only names it.
   */
  private async canSendBeforeDigest(source: UploadSource, pendingKey: string): Promise<boolean> {
    // Only a digest made elsewhere (the CLI's worker thread) runs beside the encryption instead of slowing it.
    if (!source.digest || this.librarySizes === undefined || source.size < RESUMABLE_MIN_BYTES) return false;
    if (this.librarySizes.has(source.size) || this.sizeGates.has(source.size)) return false;
    return (await this.resume.load(pendingKey)) === undefined;
  }

  private async sendBeforeDigest(
    source: UploadSource,
    albumId: string,
    options: UploadOptions,
    onBytes: (plaintextBytes: number) => void,
    pendingKey: string,
    digesting: Promise<string>,
  ): Promise<{ kind: "skipped"; fileId: string } | { kind: "sent"; finish: Promise<string> }> {
    let openGate!: () => void;
    this.sizeGates.set(source.size, new Promise<void>((resolve) => (openGate = resolve)));
    this.librarySizes?.add(source.size);
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    let done: ((fileId: string | undefined) => void) | undefined;
    try {
      const albumKey = await this.deps.library.albumKey(albumId);
      // Where the content digest is a JS HMAC (browsers, ~135 MB/s) it is slower than sending: there the
      // prefix (hashed natively by Web Crypto) is the whole file, so sending never waits for the digest.
      const prefixBytes = canStreamRequestBodies
        ? prefixBytesOf(source.size, RESUMABLE_MIN_BYTES)
        : source.size;
      const prefixDigest = await prefixDigestOf(this.deps.dedupKey, source, prefixBytes);
      const { pending, fileKey } = await this.newPending(source, albumId, albumKey, "", options);
      await this.resume.save(pendingKey, { ...pending, prefixBytes, prefixDigest });
      let recorded!: () => void;
      const digestRecorded = new Promise<void>((resolve) => (recorded = resolve));
      const extracting = this.extract(source, options);
      const gate = { bytes: prefixBytes, opened: digestRecorded };
      const sending = this.sendContent(source, pending, fileKey, { ...options, signal }, true, onBytes, gate);
      sending.catch(() => {});
      // The upload may fail first (cut, aborted): then its resume state stays for a re-run.
      const digested = digesting.then(
        (digest) => ({ digest }),
        (digestError: unknown) => ({ digestError }),
      );
      const outcome = await Promise.race([
        digested,
        sending.then(
          () => digested,
          (sendError: unknown) => ({ sendError }),
        ),
      ]);
      if ("sendError" in outcome) throw outcome.sendError;
      if ("digestError" in outcome) {
        stop.abort();
        await this.resume.discard(source.localKey, this.deps.http).catch(() => 0);
        throw outcome.digestError;
      }
      const { digest } = outcome;
      const duplicate = (await this.existingDuplicate(digest)) ?? (await this.earlierCopy(digest));
      if (duplicate) {
        // A copy the library's sizes did not reveal (not yet synced): stop and delete what was sent.
        stop.abort();
        await sending.catch(() => undefined);
        await this.resume.discard(source.localKey, this.deps.http).catch(() => 0);
        return { kind: "skipped", fileId: duplicate };
      }
      done = this.markInFlight(digest);
      openGate();
      const named = { ...pending, digest };
      await this.resume.save(pendingKey, named);
      recorded();
      const uploadId = await sending;
      return {
        kind: "sent",
        finish: this.finishing(source, named, fileKey, uploadId, await extracting, pendingKey, done),
      };
    } catch (error) {
      done?.(undefined);
      throw error;
    } finally {
      openGate();
      this.sizeGates.delete(source.size);
    }
  }

  /**
   * Whether an earlier, interrupted upload of this source sent only bytes of the plaintext it has now (same
   * keyed digest, or the same digest of the prefix that was all it sent): only then may it resume, since
   * re-encrypting other bytes under the recorded nonces would be a nonce reuse.
   */
  private async provenSame(
    earlier: PendingUpload | undefined,
    source: UploadSource,
    albumId: string,
    digest: string,
  ): Promise<boolean> {
    if (!earlier || earlier.albumId !== albumId || earlier.size !== source.size) return false;
    if (earlier.digest) return earlier.digest === digest;
    if (earlier.prefixBytes === undefined || earlier.prefixDigest === undefined) return false;
    return earlier.prefixDigest === (await prefixDigestOf(this.deps.dedupKey, source, earlier.prefixBytes));
  }

  /** A fresh file id, key and stream header for a file not uploaded before. */
  private async newPending(
    source: UploadSource,
    albumId: string,
    albumKey: Uint8Array,
    digest: string,
    options: UploadOptions,
  ): Promise<{ pending: PendingUpload; fileKey: Uint8Array }> {
    const fileId = newId("f");
    const fileKey = generateFileKey();
    const segmentSize = options.segmentSize ?? contentSegmentSize(source.mime ?? "");
    const pending = {
      fileId,
      albumId,
      digest,
      size: source.size,
      segmentSize,
      wrappedFileKey: await wrapFileKeyFor(albumKey, albumId, fileId, fileKey),
      streamHeader: toBase64Url(generateStreamHeader(segmentSize)),
    };
    return { pending, fileKey };
  }

  /** The media hook, run beside the content upload (a video's poster frame need not wait for it). */
  private extract(source: UploadSource, options: UploadOptions): Promise<Extracted> {
    const extracting = this.deps.hooks.extract(source).then((extracted) => {
      if (extracted.note) options.onEvent?.({ type: "note", source, message: extracted.note });
      return extracted;
    });
    extracting.catch(() => {});
    return extracting;
  }

  /** The id of an earlier copy in this run once it is committed; undefined when none (or it failed). */
  private async earlierCopy(digest: string): Promise<string | undefined> {
    for (let earlier = this.inFlight.get(digest); earlier; earlier = this.inFlight.get(digest)) {
      const earlierId = await earlier;
      if (earlierId) return earlierId;
    }
    return undefined;
  }

  /** Records a file of this digest as being uploaded; the returned call settles it. */
  private markInFlight(digest: string): (fileId: string | undefined) => void {
    let settle!: (fileId: string | undefined) => void;
    this.inFlight.set(digest, new Promise((resolve) => (settle = resolve)));
    return (fileId) => {
      this.inFlight.delete(digest);
      settle(fileId);
    };
  }

  /** `finishOne`, started now and settling the file's in-flight entry either way. */
  private finishing(
    source: UploadSource,
    pending: PendingUpload,
    fileKey: Uint8Array,
    uploadId: string,
    extracted: Extracted,
    pendingKey: string,
    done: (fileId: string | undefined) => void,
  ): Promise<string> {
    const finish = (async () => {
      let fileId: string | undefined;
      try {
        fileId = await this.committer.finish(source, pending, fileKey, uploadId, extracted, pendingKey);
        return fileId;
      } finally {
        done(fileId);
      }
    })();
    // Handled by the caller; never an unhandled rejection while it is still busy with other files.
    finish.catch(() => {});
    return finish;
  }

  /** The source's own digest when it has one (checked for shape: it names the file in the dedup index). */
  private async digestOf(source: UploadSource): Promise<string> {
    if (!source.digest) return contentDigest(this.deps.dedupKey, source.open());
    const digest = await source.digest(this.deps.dedupKey.slice());
    if (!/^[A-Za-z0-9_-]{43}$/.test(digest))
      throw new InvalidInputError(`The content digest of ${source.name} is not a base64url HMAC-SHA256`);
    return digest;
  }

  /** Streams the encrypted content through tus; resolves to the server's upload id. */
  private sendContent(
    source: UploadSource,
    pending: PendingUpload,
    fileKey: Uint8Array,
    options: UploadOptions,
    resumable: boolean,
    onBytes: (plaintextBytes: number) => void,
    gate?: { bytes: number; opened: Promise<void> },
  ): Promise<string> {
    const paddedLength = padmeLength(source.size);
    const totalCiphertext = ciphertextLength(paddedLength, pending.segmentSize);
    const header = fromBase64Url(pending.streamHeader);
    return uploadCiphertext({
      http: this.deps.http,
      urlStorage: this.resume.urlStorage,
      fingerprint: tusFingerprint(pending.fileId),
      resumable,
      size: totalCiphertext,
      // Same plaintext (checked by digest), key and header: every (re-)opening yields the same ciphertext.
      openCiphertext: () =>
        (gate ? source.open().pipeThrough(gateAfter(gate.bytes, gate.opened)) : source.open()).pipeThrough(
          createEncryptStream(fileKey, {
            associatedData: contentAssociatedData(pending.fileId),
            segmentSize: pending.segmentSize,
            padToLength: paddedLength,
            header,
          }),
        ),
      chunkSize: options.chunkSize,
      signal: options.signal,
      onProgress: (sent) =>
        onBytes(Math.min(source.size, Math.round((sent / totalCiphertext) * source.size))),
      onResumed: (offset) => options.onEvent?.({ type: "resumed", source, offset }),
    });
  }
}
