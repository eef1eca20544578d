import type { LiveDeps } from "./live-placement.js";
import { type LiveReader, type LiveReaderOptions, openLiveReader } from "./live-reader.js";
import { type LiveRecoveryOptions, type RecoveredRecording, recoverLiveUploads } from "./live-recovery.js";
import { type LiveStartOptions, type LiveUpload, startLiveUpload } from "./live-upload.js";

/** `client.live`: recordings uploaded while they are recorded, watched while live, recovered when cut off. */
export class LiveUploads {
  constructor(private readonly deps: LiveDeps) {}

  /** Creates the live file and returns the upload to append the recording to. */
  start(options: LiveStartOptions): Promise<LiveUpload> {
    return startLiveUpload(this.deps, options);
  }

  /** Finishes this account's recordings whose uploader stopped (silent for `olderThanMs`, default 60 s). */
  recover(options?: LiveRecoveryOptions): Promise<RecoveredRecording[]> {
    return recoverLiveUploads(this.deps, options);
  }

  /** Reads any file we may read, live or finished, ours or in a shared album. */
  open(fileId: string, options?: LiveReaderOptions): Promise<LiveReader> {
    return openLiveReader(this.deps, fileId, options);
  }
}
