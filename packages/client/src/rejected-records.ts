import type { PullOptions } from "./sync-cache.js";
import type { Warnings } from "./warnings.js";

/** Whether a failure is the record's fault (authentication, validation, a refused key) rather than the network's. */
export function isRecordFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code !== "NETWORK" && code !== "UNAUTHORIZED" && code !== "LOCKED";
}

/**
 * Records the server sent that failed verification, by id with the reason: never shown, never fatal to the rest,
 * each reported once (RECORD_REJECTED). The SDK's listings and the web app's own loader report through it alike.
 */
export class RejectedRecords extends Map<string, string> {
  constructor(private readonly warnings: Warnings) {
    super();
  }

  report(id: string, what: "file" | "album", reason: string): void {
    this.set(id, reason);
    this.warnings.emit({
      code: "RECORD_REJECTED",
      message: `The server sent ${what} ${id}, which failed verification and is not shown: ${reason}`,
      subject: id,
    });
  }

  /** Sync options that report a lying feed: a cursor going back, malformed records. */
  pullOptions(): Pick<PullOptions, "onCursorBack" | "onInvalidRecord"> {
    return {
      onCursorBack: (served, kept) =>
        this.warnings.emit({
          code: "SYNC_ROLLBACK",
          message: `The server moved the sync cursor back (${served} after ${kept}); this device kept its place.`,
        }),
      onInvalidRecord: (id, reason) =>
        this.warnings.emit({
          code: "RECORD_REJECTED",
          message: `The server sent a malformed record ${id}, which is not shown: ${reason}`,
          subject: id,
        }),
    };
  }
}
