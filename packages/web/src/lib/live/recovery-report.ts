import { describeSeconds, displayName } from "./recording-format.js";

export interface RecoveredSummary {
  name: string;
  keptBytes: number;
  finalized: boolean;
  /** Length of the kept part, when it could be measured. */
  keptSeconds?: number;
}

/** What the app says about one recording it found interrupted and finished. */
export function recoveryMessage(r: RecoveredSummary): string {
  const name = displayName(r.name);
  if (!r.finalized)
    return `Recording “${name}” was interrupted and could not be recovered yet; Umbra will try again.`;
  if (r.keptBytes === 0)
    return `Recording “${name}” was interrupted before anything was uploaded: nothing was kept.`;
  const kept = r.keptSeconds !== undefined ? describeSeconds(r.keptSeconds) : `${formatKb(r.keptBytes)}`;
  return `Recovered recording “${name}”: ${kept} kept (the recording was interrupted)`;
}

function formatKb(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
