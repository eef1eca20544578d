import {
  openLive,
  ownLiveFileIds,
  type RecoveredRecording,
  recoverInterruptedRecordings,
  reloadItem,
  syncLiveItems,
} from "../api/live-api.js";
import { type RecoveredSummary, recoveryMessage } from "./recovery-report.js";
import { WebmIndexer } from "./webm-index.js";

/** Files this tab is recording now: live, but not interrupted. */
export const recordingHere = new Set<string>();

/** Kept parts larger than this are not read through just to say how long they are. */
const MEASURE_LIMIT = 256 * 1024 * 1024;

export interface RecoveryPass {
  messages: Array<{ text: string; ok: boolean }>;
  /**
   * Some of our recordings are still live elsewhere, or silent too briefly to be called interrupted yet: look
   * again later (that also shows them finished when they finish).
   */
  pending: boolean;
}

/**
 * Finishes our interrupted recordings (the SDK keeps every whole segment that reached the server) and says what
 * happened to each. Any device of the owner can do it; the app does it after unlocking (`justLoaded`: the library's
 * load has just synced).
 */
export async function recoverRecordings(options: { justLoaded?: boolean } = {}): Promise<RecoveryPass> {
  const recovered = await recoverInterruptedRecordings();
  const messages: RecoveryPass["messages"] = [];
  for (const r of recovered) {
    const summary: RecoveredSummary = { name: r.name, keptBytes: r.keptBytes, finalized: r.finalized };
    if (r.finalized) {
      summary.keptSeconds = await keptSeconds(r);
      await reloadItem(r.fileId).catch(() => undefined);
    }
    messages.push({ text: recoveryMessage(summary), ok: r.finalized });
  }
  // Right after the library loaded, and with nothing recovered (which syncs), its state is current already.
  await syncLiveItems(options.justLoaded === true && recovered.length === 0);
  const pending = ownLiveFileIds().some((id) => !recordingHere.has(id));
  return { messages, pending };
}

/** The kept part's length, read from its WebM (the recovered metadata has no duration). */
async function keptSeconds(r: RecoveredRecording): Promise<number | undefined> {
  if (r.keptBytes === 0 || r.keptBytes > MEASURE_LIMIT) return undefined;
  const reader = await openLive(r.fileId);
  const indexer = new WebmIndexer();
  try {
    for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) indexer.push(chunk);
    const ms = indexer.index().durationMs;
    return ms > 0 ? ms / 1000 : undefined;
  } catch {
    return undefined;
  } finally {
    reader.close();
  }
}
