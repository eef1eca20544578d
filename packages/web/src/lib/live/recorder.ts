import { encodeThumbnail, GRID_SIZE, PREVIEW_SIZE } from "../media/thumbnail-encode.js";
import { containerOf, isWebm, pickRecordingMime, recordingFileName } from "./recording-format.js";
import { compactIndex, WebmIndexer, type WebmMediaIndex } from "./webm-index.js";

/** What the recorder writes to: the SDK's LiveUpload (client.live.start), seen structurally. */
export interface LiveSink {
  readonly fileId: string;
  readonly uploadedBytes: number;
  append(bytes: Uint8Array): Promise<void>;
  finish(final?: LiveFinish): Promise<unknown>;
  abort(): Promise<void>;
}

export interface LiveFinish {
  durationSec?: number;
  width?: number;
  height?: number;
  extra?: Record<string, unknown>;
  thumbnails?: { grid: Uint8Array; preview: Uint8Array };
}

export interface LiveStartInfo {
  name: string;
  mime: string;
  takenAt: string;
}

export type CaptureSource = "camera" | "screen";

export type RecorderPhase = "recording" | "stopping" | "finished" | "failed";

export interface RecorderStatus {
  phase: RecorderPhase;
  /** Wall time (ms since the epoch) of the recorder's start event: media time 0. */
  startedAt: number;
  elapsedMs: number;
  recordedBytes: number;
  uploadedBytes: number;
  /** An append has waited long (network lost or slow): the recording goes on into the upload's buffer. */
  reconnecting: boolean;
  error?: string;
}

/** A chunk of MediaRecorder output this often: a viewer sees it within about this much after capture. */
const TIMESLICE_MS = 250;
/**
 * Bytes waiting to be confirmed and no confirmation for this long (or an append blocked this long on a full
 * queue) means the network is gone or stalled: say so ("reconnecting…"); the recording goes on meanwhile.
 */
const STALLED_MS = 2500;
/** Recorded bytes not yet on the server beyond which a silent server counts as stalled (a segment or two). */
const STALLED_BACKLOG = 48 * 1024;
const KEYFRAME_INTERVAL_MS = 1000;

/** Asks the browser for the camera (with the microphone if it can) or for a screen to share. */
export async function captureStream(source: CaptureSource): Promise<MediaStream> {
  const media = navigator.mediaDevices;
  if (source === "screen") return media.getDisplayMedia({ video: true, audio: true });
  try {
    return await media.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: true,
    });
  } catch (error) {
    // No microphone (or it was refused): a silent recording is still a recording.
    if (error instanceof DOMException && (error.name === "NotFoundError" || error.name === "NotAllowedError"))
      return media.getUserMedia({ video: true });
    throw error;
  }
}

/**
 * Records a stream with MediaRecorder and feeds its chunks, in order, to a live upload; indexes the WebM as it
 * goes and, on stop, finishes the upload with the true duration, the size, a poster and the index.
 */
export class LiveRecorder {
  readonly mime: string;
  status: RecorderStatus;
  private readonly recorder: MediaRecorder;
  private readonly indexer: WebmIndexer | undefined;
  /** Chunks are appended one after another; each waits for the one before (order is the file). */
  private chain: Promise<void> = Promise.resolve();
  private appendSince: number | undefined;
  /** When the server last confirmed more bytes, and how many it had then. */
  private progressAt = Date.now();
  private progressBytes = 0;
  private failure: unknown;
  private poster: Promise<LiveFinish["thumbnails"]> | undefined;
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly stopped: Promise<void>;

  private constructor(
    private readonly stream: MediaStream,
    private readonly sink: LiveSink,
    private readonly preview: HTMLVideoElement,
    mime: string,
    private readonly onchange: (status: RecorderStatus) => void,
  ) {
    this.mime = mime;
    this.indexer = isWebm(mime) ? new WebmIndexer() : undefined;
    const options: MediaRecorderOptions & { videoKeyFrameIntervalDuration?: number } = {
      mimeType: mime,
      // A keyframe every second: the finished file seeks to within a second, and the index stays small.
      videoKeyFrameIntervalDuration: KEYFRAME_INTERVAL_MS,
      videoBitsPerSecond: 2_500_000,
    };
    this.recorder = new MediaRecorder(stream, options);
    this.status = {
      phase: "recording",
      startedAt: Date.now(),
      elapsedMs: 0,
      recordedBytes: 0,
      uploadedBytes: 0,
      reconnecting: false,
    };
    this.recorder.addEventListener("start", () => {
      this.status.startedAt = Date.now();
    });
    this.recorder.addEventListener("dataavailable", (event) => this.enqueue(event.data));
    this.stopped = new Promise((resolve) => this.recorder.addEventListener("stop", () => resolve()));
    this.ticker = setInterval(() => this.tick(), 250);
    this.recorder.start(TIMESLICE_MS);
    // The poster is drawn once the preview shows a frame worth keeping (a second in, after the camera settles).
    setTimeout(() => {
      this.poster ??= this.drawPoster();
    }, 1000);
  }

  /**
   * Starts a recording of `stream` (shown in `preview`): `startUpload` is called with its name, type and date
   * and returns the live upload (client.live.start).
   */
  static async start(
    stream: MediaStream,
    preview: HTMLVideoElement,
    startUpload: (info: LiveStartInfo) => Promise<LiveSink>,
    onchange: (status: RecorderStatus) => void,
  ): Promise<LiveRecorder> {
    const mime = pickRecordingMime((m) => MediaRecorder.isTypeSupported(m));
    if (!mime) throw new RecordingUnsupportedError("This browser cannot record video.");
    const now = new Date();
    const sink = await startUpload({
      name: recordingFileName(now, mime),
      mime: containerOf(mime),
      takenAt: now.toISOString(),
    });
    return new LiveRecorder(stream, sink, preview, mime, onchange);
  }

  get fileId(): string {
    return this.sink.fileId;
  }

  /** Stops recording, sends what is left and finishes the upload; the tracks are released. */
  async stop(): Promise<unknown> {
    if (this.status.phase !== "recording") throw new Error("The recording is not running");
    this.status.phase = "stopping";
    this.emit();
    this.poster ??= this.drawPoster();
    const thumbnails = await this.poster.catch(() => undefined);
    // The frame size while the tracks still run (a stopped track's preview may report 0 × 0).
    const size = this.frameSize();
    const elapsedSec = (Date.now() - this.status.startedAt) / 1000;
    if (this.recorder.state !== "inactive") this.recorder.stop();
    await this.stopped;
    this.release();
    try {
      await this.chain;
      if (this.failure) throw this.failure;
      const entry = await this.sink.finish(this.finalMetadata(thumbnails, size, elapsedSec));
      this.status.phase = "finished";
      return entry;
    } catch (error) {
      this.fail(error);
      throw error;
    } finally {
      this.tick();
    }
  }

  /** The seek index as far as the recording has gone (WebM only). */
  mediaIndex(): WebmMediaIndex | undefined {
    return this.indexer?.index();
  }

  private frameSize(): { width: number; height: number } {
    const track = this.stream.getVideoTracks()[0]?.getSettings();
    return {
      width: Math.round(this.preview.videoWidth || track?.width || 0),
      height: Math.round(this.preview.videoHeight || track?.height || 0),
    };
  }

  private finalMetadata(
    thumbnails: LiveFinish["thumbnails"],
    { width, height }: { width: number; height: number },
    elapsedSec: number,
  ): LiveFinish {
    const full = this.indexer?.index();
    const index = full && compactIndex(full);
    // The media's own clock when it has one (the last block's time); the wall clock otherwise.
    const durationSec = index && index.durationMs > 0 ? index.durationMs / 1000 : elapsedSec;
    return {
      durationSec,
      ...(width && height ? { width, height } : {}),
      extra: {
        recordedMime: this.mime,
        ...(index && index.clusters.length > 0 ? { mediaIndex: index } : {}),
      },
      ...(thumbnails ? { thumbnails } : {}),
    };
  }

  private enqueue(blob: Blob): void {
    if (blob.size === 0) return;
    this.status.recordedBytes += blob.size;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      const bytes = new Uint8Array(await blob.arrayBuffer());
      try {
        this.indexer?.push(bytes);
      } catch {
        // A recorder that writes WebM we cannot parse still records; the file only seeks less well.
      }
      this.appendSince = Date.now();
      try {
        await this.sink.append(bytes);
      } catch (error) {
        this.failure = error;
        this.fail(error);
      } finally {
        this.appendSince = undefined;
        this.tick();
      }
    });
  }

  private async drawPoster(): Promise<LiveFinish["thumbnails"]> {
    const video = this.preview;
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (w === 0 || h === 0) return undefined;
    return {
      grid: await encodeThumbnail(video, w, h, GRID_SIZE),
      preview: await encodeThumbnail(video, w, h, PREVIEW_SIZE),
    };
  }

  private tick(): void {
    const s = this.status;
    if (s.phase === "recording") s.elapsedMs = Date.now() - s.startedAt;
    const now = Date.now();
    s.uploadedBytes = this.sink.uploadedBytes;
    if (s.uploadedBytes !== this.progressBytes) {
      this.progressBytes = s.uploadedBytes;
      this.progressAt = now;
    }
    // Ciphertext carries a 16-byte tag per segment: the backlog is an estimate, which is all it needs to be.
    const backlog = s.recordedBytes - s.uploadedBytes;
    const silent = backlog > STALLED_BACKLOG && now - this.progressAt > STALLED_MS;
    const blocked = this.appendSince !== undefined && now - this.appendSince > STALLED_MS;
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    s.reconnecting = s.phase !== "failed" && s.phase !== "finished" && (silent || blocked || offline);
    this.emit();
  }

  private fail(error: unknown): void {
    this.status.phase = "failed";
    this.status.error = error instanceof Error ? error.message : String(error);
    this.emit();
  }

  private release(): void {
    clearInterval(this.ticker);
    for (const track of this.stream.getTracks()) track.stop();
  }

  private emit(): void {
    this.onchange({ ...this.status });
  }
}

/** The browser has no MediaRecorder type we can record in. */
export class RecordingUnsupportedError extends Error {
  readonly code = "RECORDING_UNSUPPORTED";
}
