// Streams UMBRA_BENCH_MIB (default 512) MiB through the streaming AEAD and, over the same chunks and the same
// WHATWG stream plumbing, through one node:crypto AES-256-GCM stream; prints MB/s and the throughput ratios.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { createDecryptStream, createEncryptStream, DEFAULT_SEGMENT_SIZE } from "../src/stream/index.js";

const MIB = 1024 * 1024;
const totalMib = Number(process.env.UMBRA_BENCH_MIB ?? 512);
const chunkSize = Number(process.env.UMBRA_BENCH_CHUNK_KIB ?? 64) * 1024;
const runs = Number(process.env.UMBRA_BENCH_RUNS ?? 2);
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

async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await run();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

const mbps = (seconds: number) => total / 1e6 / seconds;
const best = { encrypt: 0, decrypt: 0, baseEncrypt: 0, baseDecrypt: 0 };

// Ciphertexts for the decrypt runs, made once outside the timings.
const iv = new Uint8Array(randomBytes(12));
const ciphertext = await collect(
  plaintextSource().pipeThrough(createEncryptStream(fileKey, { associatedData })),
);
const baseCiphertext = await collect(plaintextSource().pipeThrough(baselineEncrypt(fileKey, iv)));
const tag = baseCiphertext.slice(total);

console.log(
  `streaming ${totalMib} MiB in ${chunkSize / 1024} KiB chunks; segment ${DEFAULT_SEGMENT_SIZE / 1024} KiB; ` +
    `best of ${runs} runs`,
);
for (let run = -1; run < runs; run++) {
  const enc = await timed(() =>
    count(plaintextSource().pipeThrough(createEncryptStream(fileKey, { associatedData }))),
  );
  if (enc.result !== ciphertext.length) throw new Error("encrypted the wrong length");
  const baseEnc = await timed(() => count(plaintextSource().pipeThrough(baselineEncrypt(fileKey, iv))));
  if (baseEnc.result !== total + 16) throw new Error("baseline encrypted the wrong length");
  const dec = await timed(() =>
    count(bytesSource(ciphertext).pipeThrough(createDecryptStream(fileKey, { associatedData }))),
  );
  if (dec.result !== total) throw new Error(`decrypted ${dec.result} bytes, expected ${total}`);
  const baseDec = await timed(() =>
    count(bytesSource(baseCiphertext.subarray(0, total)).pipeThrough(baselineDecrypt(fileKey, iv, tag))),
  );
  if (baseDec.result !== total) throw new Error("baseline decrypted the wrong length");

  if (run < 0) continue; // warm-up: lets the JIT settle before anything is measured
  console.log(
    `run ${run + 1}: umbra encrypt ${mbps(enc.seconds).toFixed(0)} MB/s, decrypt ${mbps(dec.seconds).toFixed(0)} MB/s; ` +
      `node:crypto encrypt ${mbps(baseEnc.seconds).toFixed(0)} MB/s, decrypt ${mbps(baseDec.seconds).toFixed(0)} MB/s`,
  );
  best.encrypt = Math.max(best.encrypt, mbps(enc.seconds));
  best.decrypt = Math.max(best.decrypt, mbps(dec.seconds));
  best.baseEncrypt = Math.max(best.baseEncrypt, mbps(baseEnc.seconds));
  best.baseDecrypt = Math.max(best.baseDecrypt, mbps(baseDec.seconds));
}
console.log(`umbra stream encrypt: ${best.encrypt.toFixed(0)} MB/s`);
console.log(`umbra stream decrypt: ${best.decrypt.toFixed(0)} MB/s`);
console.log(`node:crypto AES-256-GCM encrypt: ${best.baseEncrypt.toFixed(0)} MB/s`);
console.log(`node:crypto AES-256-GCM decrypt: ${best.baseDecrypt.toFixed(0)} MB/s`);
console.log(
  `ratio encrypt=${(best.encrypt / best.baseEncrypt).toFixed(2)} decrypt=${(best.decrypt / best.baseDecrypt).toFixed(2)}`,
);
