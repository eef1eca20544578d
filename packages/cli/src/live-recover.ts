import type { UmbraClient } from "@umbra/client";
import { formatBytes } from "./progress-render.js";

/** Live files silent this long are taken as interrupted (a recording still running elsewhere appends every second). */
export const DEFAULT_STALE_SECONDS = 60;

/**
 * Finishes this account's interrupted live recordings (kill -9, a lost network, a closed tab) and says what
 * happened to each, one line on stderr. Resolves to how many could not be finished.
 */
export async function recoverInterrupted(client: UmbraClient, staleSeconds: number): Promise<number> {
  const recovered = await client.live.recover({ olderThanMs: staleSeconds * 1000 });
  let failed = 0;
  for (const r of recovered) {
    if (r.finalized) {
      process.stderr.write(
        `recovered "${r.name}": kept ${formatBytes(r.keptBytes)} (the recording was interrupted; ${r.segments} segments)\n`,
      );
    } else {
      failed++;
      const reason = (r.error as Error | undefined)?.message ?? String(r.error);
      process.stderr.write(`could not recover "${r.name}" (${r.fileId}): ${reason}\n`);
    }
  }
  return failed;
}
