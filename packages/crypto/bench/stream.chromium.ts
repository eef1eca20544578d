// Runs the real streaming AEAD (bundled with esbuild) in headless Chromium: checks a round trip and measures
// encrypt/decrypt MB/s through the TransformStreams for several segment sizes.
// Run: npx tsx packages/crypto/bench/stream.chromium.ts  (UMBRA_BENCH_MIB per run, default 64)
import { openLocalPage } from "@umbra/test-harness/chromium";
import { build } from "esbuild";

const totalMib = Number(process.env.UMBRA_BENCH_MIB ?? 64);
const segmentKibs = (process.env.UMBRA_BENCH_SEGMENTS_KIB ?? "128,256,512,1024").split(",").map(Number);
const rounds = Number(process.env.UMBRA_BENCH_ROUNDS ?? 3);

const bundle = await build({
  entryPoints: [new URL("../src/stream/index.ts", import.meta.url).pathname],
  bundle: true,
  format: "iife",
  globalName: "UmbraStream",
  platform: "browser",
  target: "es2022",
  write: false,
});
const { browser, page, close } = await openLocalPage({
  title: "umbra stream bench",
  script: bundle.outputFiles[0]!.text,
});
try {
  const results = await page.evaluate(
    async ({ totalMib, segmentKibs, rounds }) => {
      type Api = typeof import("../src/stream/index.js");
      const api = (globalThis as unknown as { UmbraStream: Api }).UmbraStream;
      const total = totalMib * 1024 * 1024;
      const chunk = 64 * 1024;
      const input = new Uint8Array(total);
      for (let i = 0; i < total; i += 65536) crypto.getRandomValues(input.subarray(i, i + 65536));
      const fileKey = crypto.getRandomValues(new Uint8Array(32));
      const associatedData = new TextEncoder().encode("f_chromiumchromiumchrom");
      const source = (bytes: Uint8Array) => {
        let offset = 0;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (offset >= bytes.length) return controller.close();
            controller.enqueue(bytes.subarray(offset, offset + chunk));
            offset += chunk;
          },
        });
      };
      const collect = async (stream: ReadableStream<Uint8Array>) => {
        const parts: Uint8Array[] = [];
        let length = 0;
        const reader = stream.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parts.push(value);
          length += value.length;
        }
        const out = new Uint8Array(length);
        let o = 0;
        for (const p of parts) {
          out.set(p, o);
          o += p.length;
        }
        return out;
      };
      const rows: { segmentKib: number; encrypt: number; decrypt: number }[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const kib of segmentKibs) {
          let t = performance.now();
          const ciphertext = await collect(
            source(input).pipeThrough(
              api.createEncryptStream(fileKey, { associatedData, segmentSize: kib * 1024 }),
            ),
          );
          const encrypt = total / 1e6 / ((performance.now() - t) / 1000);
          t = performance.now();
          const plaintext = await collect(
            source(ciphertext).pipeThrough(api.createDecryptStream(fileKey, { associatedData })),
          );
          const decrypt = total / 1e6 / ((performance.now() - t) / 1000);
          if (plaintext.length !== total || plaintext.some((b, i) => b !== input[i]))
            throw new Error("round trip failed");
          const row = rows.find((r) => r.segmentKib === kib);
          if (row === undefined) rows.push({ segmentKib: kib, encrypt, decrypt });
          else {
            row.encrypt = Math.max(row.encrypt, encrypt);
            row.decrypt = Math.max(row.decrypt, decrypt);
          }
        }
      }
      return rows;
    },
    { totalMib, segmentKibs, rounds },
  );
  console.log(
    `Chromium ${browser.version()}: ${totalMib} MiB through the stream transforms, best of ${rounds}, MB/s`,
  );
  console.log("| segment | encrypt | decrypt |\n| --- | --- | --- |");
  for (const r of results)
    console.log(`| ${r.segmentKib} KiB | ${r.encrypt.toFixed(0)} | ${r.decrypt.toFixed(0)} |`);
} finally {
  await close();
}
