// Segment-size measurement in Node: Web Crypto AES-256-GCM MB/s by segment size and encryptions in flight.
// Run: npx tsx packages/crypto/bench/segment-size.node.ts  (UMBRA_BENCH_MIB sets the bytes per cell, default 256)
import { formatTable, measureSegmentEncryption } from "./segment-size-loop.js";

const KIB = 1024;
const sizes = (process.env.UMBRA_BENCH_SEGMENTS_KIB ?? "64,128,256,512,1024,2048,4096")
  .split(",")
  .map((k) => Number(k) * KIB);
const inFlights = [1, 2, 4, 8];
const totalMib = Number(process.env.UMBRA_BENCH_MIB ?? 256);
const rounds = Number(process.env.UMBRA_BENCH_ROUNDS ?? 3);
console.log(`Node ${process.version}, ${totalMib} MiB per cell, best of ${rounds} rounds, MB/s`);
console.log(formatTable(await measureSegmentEncryption(sizes, inFlights, totalMib, rounds), inFlights));
