// The measurement loop shared by the Node and Chromium segment-size scripts. Self-contained (only Web Crypto),
// because the Chromium script sends its source text into a page.

export interface LoopResult {
  segmentKib: number;
  inFlight: number;
  mbPerSecond: number;
}

/**
 * Encrypts `totalMib` MiB as AES-256-GCM segments, keeping `inFlight` encryptions running, for every cell;
 * repeats all cells `rounds` times (interleaved, so a burst of load elsewhere hits no cell twice) and keeps
 * each cell's best MB/s.
 */
export async function measureSegmentEncryption(
  segmentSizes: number[],
  inFlights: number[],
  totalMib: number,
  rounds = 3,
): Promise<LoopResult[]> {
  const key = await crypto.subtle.importKey("raw", new Uint8Array(32), "AES-GCM", false, ["encrypt"]);
  const total = totalMib * 1024 * 1024;
  const maxSize = Math.max(...segmentSizes);
  const source = new Uint8Array(maxSize * 8);
  for (let i = 0; i < source.length; i += 65536) crypto.getRandomValues(source.subarray(i, i + 65536));
  const results: LoopResult[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const size of segmentSizes) {
      for (const inFlight of inFlights) {
        const run = async (bytes: number) => {
          const pending: Promise<ArrayBuffer>[] = [];
          let index = 0;
          for (let done = 0; done < bytes; done += size) {
            const iv = new Uint8Array(12);
            new DataView(iv.buffer).setUint32(7, index, false);
            const offset = (index++ % 8) * size;
            pending.push(
              crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, source.subarray(offset, offset + size)),
            );
            if (pending.length >= inFlight) await pending.shift();
          }
          await Promise.all(pending);
        };
        await run(Math.min(total, 16 * size)); // warm-up
        const started = performance.now();
        await run(total);
        const seconds = (performance.now() - started) / 1000;
        const mbPerSecond = Math.round(total / 1e6 / seconds);
        const cell = results.find((r) => r.segmentKib === size / 1024 && r.inFlight === inFlight);
        if (cell === undefined) results.push({ segmentKib: size / 1024, inFlight, mbPerSecond });
        else cell.mbPerSecond = Math.max(cell.mbPerSecond, mbPerSecond);
      }
    }
  }
  return results;
}

export function formatTable(results: LoopResult[], inFlights: number[]): string {
  const sizes = [...new Set(results.map((r) => r.segmentKib))];
  const lines = [`| segment | ${inFlights.map((n) => `${n} in flight`).join(" | ")} |`];
  lines.push(`| --- | ${inFlights.map(() => "---").join(" | ")} |`);
  for (const kib of sizes) {
    const cells = inFlights.map((n) =>
      String(results.find((r) => r.segmentKib === kib && r.inFlight === n)?.mbPerSecond),
    );
    lines.push(`| ${kib >= 1024 ? `${kib / 1024} MiB` : `${kib} KiB`} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
