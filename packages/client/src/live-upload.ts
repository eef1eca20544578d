import { encryptThumbnail, generateFileKey, toBase64Url } from "@umbra/crypto";
import { ciphertextDigest } from "@umbra/crypto/sharing";
import { LIVE_SEGMENT_SIZE, StreamSegmentSealer } from "@umbra/crypto/stream";
import { FileRecord as FileRecordSchema, FinishLiveBody, type StartLiveBody } from "@umbra/protocol";
import { UmbraClientError } from "./errors.js";
import { newId } from "./ids.js";
import { contentAssociatedData, encryptFileMetadata } from "./keys.js";
import type { FileEntry } from "./library.js";
import { type LiveAppendOptions, LiveAppendSender } from "./live-append-sender.js";
import { type LiveDeps, type LivePlacement, planLivePlacement, signPlacement } from "./live-placement.js";
import type { FileMetadata } from "./metadata.js";

export interface LiveStartOptions extends LiveAppendOptions {
  /** Target album (ours, or a shared album we contribute to); our library when absent. */
  albumId?: string;
  name: string;
  mime: string;
  takenAt?: string;
  /** Plaintext bytes per segment (a power of two, 16 KiB to 8 MiB); 16 KiB by default. */
  segmentSize?: number;
}

export interface LiveFinishOptions {
  durationSec?: number;
  width?: number;
  height?: number;
  extra?: Record<string, unknown>;
  thumbnails?: { grid: Uint8Array; preview: Uint8Array };
}

/** A recording being uploaded as it is produced (SPEC §6.11, docs/PROTOCOL.md "Live uploads"). */
export interface LiveUpload {
  readonly fileId: string;
  /** Ciphertext bytes the server confirmed holding. */
  readonly uploadedBytes: number;
  /** Plaintext; seals and uploads full segments in order. Resolves when queued; rejects once the upload failed. */
  append(bytes: Uint8Array): Promise<void>;
  /** Resolves when every full segment is on the server. */
  flush(): Promise<void>;
  /** Seals the rest and the final segment, then makes the recording a normal file. */
  finish(final?: LiveFinishOptions): Promise<FileEntry>;
  /** Stops at once (queued segments are dropped); what the server holds is an interrupted recording (recover()). */
  abort(): Promise<void>;
}

/** Creates the live file on the server (visible at once to our devices and the album's members). */
export async function startLiveUpload(deps: LiveDeps, options: LiveStartOptions): Promise<LiveUpload> {
  const { library, http } = deps;
  const albumId = options.albumId ?? (await library.libraryAlbumId());
  const fileId = newId("f");
  const fileKey = generateFileKey();
  const placement = await planLivePlacement(deps, albumId, fileId, fileKey);
  const sealer = await StreamSegmentSealer.create(fileKey, {
    associatedData: contentAssociatedData(fileId),
    segmentSize: options.segmentSize ?? LIVE_SEGMENT_SIZE,
  });
  const metadata: FileMetadata = {
    name: options.name,
    mime: options.mime,
    size: 0,
    ...(options.takenAt !== undefined && { takenAt: options.takenAt }),
    // liveAlbumId: a recovering device re-signs that placement at the finish.
    extra: { segmentSize: sealer.segmentSize, live: true, ...(placement.signed && { liveAlbumId: albumId }) },
  };
  const encryptedMetadata = await encryptFileMetadata(fileKey, fileId, metadata);
  const body: StartLiveBody = { id: fileId, ...placement.start, encryptedMetadata };
  const record = await http.json("/api/live", FileRecordSchema, { body });
  await library.remember(record);
  await library.vouchForUpload(fileId, encryptedMetadata, placement.homeAlbumId);
  // Saved now: a recorder killed a moment later must not leave our other devices a file no device vouched for.
  await library.flush();
  const upload = new LiveUploadSession(deps, fileId, fileKey, metadata, placement, sealer, options);
  await upload.begin();
  return upload;
}

class LiveUploadSession implements LiveUpload {
  private readonly sender: LiveAppendSender;
  private fill: Uint8Array;
  private fillLength = 0;
  private nextIndex = 0;
  private recorded = 0;
  private state: "recording" | "finishing" | "done" | "aborted" = "recording";
  /** SHA-256 of every ciphertext byte queued, for the finish's re-signed placement (shared albums only). */
  private digestFeed: ReadableStreamDefaultController<Uint8Array> | undefined;
  private digest: Promise<string> | undefined;

  constructor(
    private readonly deps: LiveDeps,
    readonly fileId: string,
    private readonly fileKey: Uint8Array,
    private readonly startMetadata: FileMetadata,
    private readonly placement: LivePlacement,
    private readonly sealer: StreamSegmentSealer,
    options: LiveAppendOptions,
  ) {
    this.sender = new LiveAppendSender(deps.http, fileId, 0, options);
    this.fill = new Uint8Array(sealer.segmentSize);
    if (placement.signed) {
      const stream = new ReadableStream<Uint8Array>({
        start: (controller) => {
          this.digestFeed = controller;
        },
      });
      this.digest = ciphertextDigest(stream);
      this.digest.catch(() => undefined);
    }
  }

  get uploadedBytes(): number {
    return this.sender.confirmedBytes;
  }

  async begin(): Promise<void> {
    await this.send(this.sealer.header);
  }

  private async send(ciphertext: Uint8Array): Promise<void> {
    this.digestFeed?.enqueue(ciphertext);
    await this.sender.enqueue(ciphertext);
  }

  async append(bytes: Uint8Array): Promise<void> {
    if (this.state !== "recording") throw new UmbraClientError("INVALID_INPUT", "The recording has stopped");
    if (this.sender.error !== undefined) throw this.sender.error;
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(bytes.length - at, this.fill.length - this.fillLength);
      this.fill.set(bytes.subarray(at, at + take), this.fillLength);
      this.fillLength += take;
      this.recorded += take;
      at += take;
      if (this.fillLength === this.fill.length) {
        const segment = this.fill;
        this.fill = new Uint8Array(this.sealer.segmentSize);
        this.fillLength = 0;
        await this.send(await this.sealer.sealSegment(this.nextIndex++, segment));
      }
    }
  }

  flush(): Promise<void> {
    return this.sender.flush();
  }

  async finish(final: LiveFinishOptions = {}): Promise<FileEntry> {
    if (this.state !== "recording") throw new UmbraClientError("INVALID_INPUT", "The recording has stopped");
    this.state = "finishing";
    const { http, library } = this.deps;
    // The rest, zero-filled to a full segment, then the final segment of zeros (SPEC §6.11).
    if (this.fillLength > 0) {
      this.fill.fill(0, this.fillLength);
      await this.send(await this.sealer.sealSegment(this.nextIndex++, this.fill));
      this.fillLength = 0;
    }
    await this.send(await this.sealer.sealFinalSegment(this.nextIndex));
    this.digestFeed?.close();
    await this.sender.flush();
    const metadata: FileMetadata = {
      ...this.startMetadata,
      size: this.recorded,
      ...(final.durationSec !== undefined && { durationSec: final.durationSec }),
      ...(final.width !== undefined && { width: final.width }),
      ...(final.height !== undefined && { height: final.height }),
      extra: { ...final.extra, segmentSize: this.sealer.segmentSize, recordedLive: true },
    };
    const body = await finishBody(
      this.fileKey,
      this.fileId,
      metadata,
      this.sender.confirmedBytes,
      final.thumbnails,
    );
    if (this.placement.signed) {
      const contentDigest = await this.digest!;
      body.contentDigest = contentDigest;
      body.signature = await signPlacement(
        this.deps,
        this.fileId,
        this.placement.albumId,
        this.placement.wrappedFileKey,
        contentDigest,
      );
    }
    const record = await http.json(`/api/live/${this.fileId}/finish`, FileRecordSchema, { body });
    await library.remember(record);
    await library.vouchForMetadata(this.fileId, record.encryptedMetadata);
    await library.flush();
    this.state = "done";
    return library.file(this.fileId);
  }

  async abort(): Promise<void> {
    if (this.state === "done" || this.state === "aborted") return;
    this.state = "aborted";
    const reason = new UmbraClientError("ABORTED", "The recording was aborted");
    this.digestFeed?.error(reason);
    // Queued segments are dropped; a request under way may still land (recovery keeps whatever is whole).
    this.sender.cancel(reason);
    await this.sender.flush().catch(() => undefined);
  }
}

/** The finish request: true size in the metadata, thumbnails (empty ones when there are none). */
export async function finishBody(
  fileKey: Uint8Array,
  fileId: string,
  metadata: FileMetadata,
  contentSize: number,
  thumbnails?: { grid: Uint8Array; preview: Uint8Array },
): Promise<FinishLiveBody> {
  const empty = new Uint8Array(0);
  const [grid, preview, encryptedMetadata] = await Promise.all([
    encryptThumbnail(fileKey, fileId, "grid", thumbnails?.grid ?? empty),
    encryptThumbnail(fileKey, fileId, "preview", thumbnails?.preview ?? empty),
    encryptFileMetadata(fileKey, fileId, metadata),
  ]);
  return FinishLiveBody.parse({
    contentSize,
    encryptedMetadata,
    thumbnails: { grid: toBase64Url(grid), preview: toBase64Url(preview) },
  });
}
