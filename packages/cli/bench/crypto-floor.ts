/**
 * The crypto no upload of these files can avoid, measured alone in one process with OpenSSL directly (no
 * streams, no copies beyond one read): each file read once, HMAC-SHA256'd (the duplicate digest) and sealed
 * with AES-256-GCM in the segments an upload of UMBRA_FLOOR_MIME would use (contentSegmentSize); nothing is
 * sent. Run by upload.bench.ts with the files as arguments; prints one JSON line
 * {cpuSeconds, wallSeconds, bytes, segmentSize}.
 */
import { createCipheriv, createHmac, randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import { contentSegmentSize } from "@umbra/client";

const files = process.argv.slice(2);
const key = randomBytes(32);
const segmentSize = contentSegmentSize(process.env.UMBRA_FLOOR_MIME ?? "");
const segment = Buffer.alloc(segmentSize);
const cpuBefore = process.cpuUsage();
const began = performance.now();
let bytes = 0;
for (const file of files) {
  const mac = createHmac("sha256", key);
  const handle = await open(file, "r");
  try {
    for (;;) {
      const { bytesRead } = await handle.read(segment, 0, segment.length);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      const plaintext = segment.subarray(0, bytesRead);
      mac.update(plaintext);
      const cipher = createCipheriv("aes-256-gcm", key, randomBytes(12));
      cipher.update(plaintext);
      cipher.final();
      cipher.getAuthTag();
    }
  } finally {
    await handle.close();
  }
  mac.digest();
}
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallSeconds: (performance.now() - began) / 1000,
    bytes,
    segmentSize,
  }),
);
