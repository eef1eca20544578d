// Segment-size measurement in headless Chromium: the same loop as segment-size.node.ts, run in a page served
// from localhost (a secure context, so Web Crypto is available).
// Run: npx tsx packages/crypto/bench/segment-size.chromium.ts  (UMBRA_BENCH_MIB per cell, default 256;
// UMBRA_CHROMIUM sets the browser binary, default /usr/bin/chromium)
import { openLocalPage } from "@umbra/test-harness/chromium";
import { formatTable, measureSegmentEncryption } from "./segment-size-loop.js";

const KIB = 1024;
const sizes = (process.env.UMBRA_BENCH_SEGMENTS_KIB ?? "64,128,256,512,1024,2048,4096")
  .split(",")
  .map((k) => Number(k) * KIB);
const inFlights = [1, 2, 4, 8];
const totalMib = Number(process.env.UMBRA_BENCH_MIB ?? 256);
const rounds = Number(process.env.UMBRA_BENCH_ROUNDS ?? 3);

const { browser, page, close } = await openLocalPage({ title: "umbra segment-size bench" });
try {
  const source = measureSegmentEncryption.toString();
  const results = await page.evaluate(
    async ({ source, sizes, inFlights, totalMib, rounds }) => {
      const measure = new Function(`return (${source})`)() as typeof measureSegmentEncryption;
      return measure(sizes, inFlights, totalMib, rounds);
    },
    { source, sizes, inFlights, totalMib, rounds },
  );
  console.log(`Chromium ${browser.version()}, ${totalMib} MiB per cell, best of ${rounds} rounds, MB/s`);
  console.log(formatTable(results, inFlights));
} finally {
  await close();
}
