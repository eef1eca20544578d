// Streams UMBRA_BENCH_MIB (default 512) MiB through the streaming AEAD and, over the same chunks and the same
// WHATWG stream plumbing, through one node:crypto AES-256-GCM stream; prints MB/s and the throughput ratios.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { createDecryptStreamInternal } from "../src/stream/decrypt.js";
import {
  createEncryptStreamInternal,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_SEGMENT_SIZE,
} from "../src/stream/encrypt.js";

const MIB = 1024 * 1024;
const totalMib = Number(process.env.UMBRA_BENCH_MIB ?? 512);
const chunkSize = Number(process.env.UMBRA_BENCH_CHUNK_KIB ?? 64) * 1024;
const runs = Number(process.env.UMBRA_BENCH_RUNS ?? 5);
// Exploration knobs; the defaults measure exactly what createEncryptStream / createDecryptStream do.
const segmentSize = Number(process.env.UMBRA_BENCH_SEGMENT_KIB ?? DEFAULT_SEGMENT_SIZE / 1024) * 1024;
const maxInFlight = Number(process.env.UMBRA_BENCH_IN_FLIGHT ?? DEFAULT_MAX_IN_FLIGHT);
const encryptStream = () =>
  createEncryptStreamInternal(fileKey, { associatedData, segmentSize }, { maxInFlight });
const decryptStream = () => createDecryptStreamInternal(fileKey, { associatedData }, { maxInFlight });
const total = totalMib * MIB;
if (!Number.isInteger(totalMib) || totalMib < 1)
  throw new Error("UMBRA_BENCH_MIB must be a positive integer");

const fileKey = new Uint8Array(randomBytes(32));
const associatedData = new TextEncoder().encode("f_benchbenchbenchbench");
// Random input cycled from a 16 MiB pool: incompressible, and cheap to produce so the source costs little.
const pool = new Uint8Array(randomBytes(16 * MIB));

function plaintextSource(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunkSize, total - sent);
      const start = sent % pool.length;
      controller.enqueue(pool.subarray(start, Math.min(start + n, pool.length)));
      sent += Math.min(n, pool.length - start);
    },
  });
}

function bytesSource(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** Reads a stream to the end, counting bytes; nothing is kept, so memory does not grow with the input. */
async function count(stream: ReadableStream<Uint8Array>): Promise<number> {
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return length;
    length += value.length;
  }
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function baselineEncrypt(key: Uint8Array, iv: Uint8Array): TransformStream<Uint8Array, Uint8Array> {
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  return new TransformStream({
    transform: (chunk, controller) => controller.enqueue(cipher.update(chunk)),
    flush: (controller) => {
      controller.enqueue(cipher.final());
      controller.enqueue(cipher.getAuthTag());
    },
  });
}

function baselineDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  tag: Uint8Array,
): TransformStream<Uint8Array, Uint8Array> {
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAuthTag(tag);
  return new TransformStream({
    transform: (chunk, controller) => controller.enqueue(decipher.update(chunk)),
    flush: (controller) => controller.enqueue(decipher.final()),
  });
}

/** CPU seconds (all threads of this process, user + system) spent per GB, per kind of run. */
const cpuPerGb = new Map<string, number[]>();

async function timed<T>(kind: string, run: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const list = cpuPerGb.get(kind) ?? [];
  list.push((cpu.user + cpu.system) / 1e6 / (total / 1e9));
  cpuPerGb.set(kind, list);
  return { seconds, result };
}

const mbps = (seconds: number) => total / 1e6 / seconds;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const speeds = {
  encrypt: [] as number[],
  decrypt: [] as number[],
  baseEncrypt: [] as number[],
  baseDecrypt: [] as number[],
};
const ratios = { encrypt: [] as number[], decrypt: [] as number[] };

// Ciphertexts for the decrypt runs, made once outside the timings.
const iv = new Uint8Array(randomBytes(12));
const ciphertext = await collect(plaintextSource().pipeThrough(encryptStream()));
const baseCiphertext = await collect(plaintextSource().pipeThrough(baselineEncrypt(fileKey, iv)));
const tag = baseCiphertext.slice(total);

const umbraEncrypt = async () => {
  const { seconds, result } = await timed("umbra encrypt", () =>
    count(plaintextSource().pipeThrough(encryptStream())),
  );
  if (result !== ciphertext.length) throw new Error("encrypted the wrong length");
  return mbps(seconds);
};
const baselineEncryptRun = async () => {
  const { seconds, result } = await timed("node:crypto encrypt", () =>
    count(plaintextSource().pipeThrough(baselineEncrypt(fileKey, iv))),
  );
  if (result !== total + 16) throw new Error("baseline encrypted the wrong length");
  return mbps(seconds);
};
const umbraDecrypt = async () => {
  const { seconds, result } = await timed("umbra decrypt", () =>
    count(bytesSource(ciphertext).pipeThrough(decryptStream())),
  );
  if (result !== total) throw new Error(`decrypted ${result} bytes, expected ${total}`);
  return mbps(seconds);
};
const baselineDecryptRun = async () => {
  const { seconds, result } = await timed("node:crypto decrypt", () =>
    count(bytesSource(baseCiphertext.subarray(0, total)).pipeThrough(baselineDecrypt(fileKey, iv, tag))),
  );
  if (result !== total) throw new Error("baseline decrypted the wrong length");
  return mbps(seconds);
};
/** Runs both sides back to back (alternating who goes first), so a burst of load elsewhere hits both alike. */
async function pair(first: () => Promise<number>, second: () => Promise<number>, swap: boolean) {
  if (!swap) return [await first(), await second()] as const;
  const b = await second();
  return [await first(), b] as const;
}

console.log(
  `streaming ${totalMib} MiB in ${chunkSize / 1024} KiB chunks; segment ${segmentSize / 1024} KiB, ` +
    `${maxInFlight} in flight; ${runs} paired runs, medians reported`,
);
for (let run = -1; run < runs; run++) {
  const swap = run % 2 !== 0;
  const [enc, baseEnc] = await pair(umbraEncrypt, baselineEncryptRun, swap);
  const [dec, baseDec] = await pair(umbraDecrypt, baselineDecryptRun, swap);
  if (run < 0) continue; // warm-up: lets the JIT settle before anything is measured
  console.log(
    `run ${run + 1}: umbra encrypt ${enc.toFixed(0)} MB/s, decrypt ${dec.toFixed(0)} MB/s; ` +
      `node:crypto encrypt ${baseEnc.toFixed(0)} MB/s, decrypt ${baseDec.toFixed(0)} MB/s`,
  );
  speeds.encrypt.push(enc);
  speeds.decrypt.push(dec);
  speeds.baseEncrypt.push(baseEnc);
  speeds.baseDecrypt.push(baseDec);
  ratios.encrypt.push(enc / baseEnc);
  ratios.decrypt.push(dec / baseDec);
}
console.log(`umbra stream encrypt: ${median(speeds.encrypt).toFixed(0)} MB/s`);
console.log(`umbra stream decrypt: ${median(speeds.decrypt).toFixed(0)} MB/s`);
console.log(`node:crypto AES-256-GCM encrypt: ${median(speeds.baseEncrypt).toFixed(0)} MB/s`);
console.log(`node:crypto AES-256-GCM decrypt: ${median(speeds.baseDecrypt).toFixed(0)} MB/s`);
for (const [kind, values] of cpuPerGb) {
  console.log(`cpu ${kind}: ${median(values).toFixed(2)} CPU-seconds per GB (all threads)`);
}
// The ratio is the median of the per-run ratios: each compares two runs made back to back.
console.log(
  `ratio encrypt=${median(ratios.encrypt).toFixed(2)} decrypt=${median(ratios.decrypt).toFixed(2)}`,
);
