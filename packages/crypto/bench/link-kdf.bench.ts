// Link-password KDF bench (issue 12): the time of ONE password guess, in Node and in headless Chromium, for
// today's link KDF (PBKDF2-SHA256, 600,000 iterations, Web Crypto — the real deriveWrappingKey) as the baseline
// and Argon2id from each candidate library at OWASP / RFC 9106 parameter sets; prints ms per guess, the ratio to
// the baseline measured in the same run and environment, and an estimate of an offline attacker's GPU rate
// from published hashcat figures (cited below; nothing here measures a GPU).
// Run: npm run bench:link-kdf   (UMBRA_BENCH_ROUNDS, default 5; UMBRA_BENCH_SLOW_MS, default 4000;
// UMBRA_BENCH_PARAMS = comma-separated parameter-set names; UMBRA_CHROMIUM = browser binary)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { measureInChromium } from "./link-kdf.chromium.js";
import {
  ARGON2_IMPLEMENTATIONS,
  ARGON2_PARAMS,
  type Argon2Params,
  type CaseResult,
  type LoopOptions,
  type LoopResult,
  measureLinkKdf,
} from "./link-kdf-loop.js";

// ---- Published attacker figures (one NVIDIA GeForce RTX 4090, 24 GiB) -------------------------------------
/** hashcat 6.2.6 `-b`, mode 10900 PBKDF2-HMAC-SHA256 "[Iterations: 999]": 8865.7 kH/s.
 *  Source: Chick3nman, "Hashcat v6.2.6 benchmark on the Nvidia RTX 4090",
 *  https://gist.github.com/Chick3nman/32e662a5bb63bc4f51b847bb422222fd */
const GPU_PBKDF2_SHA256_HS = 8865.7e3;
const GPU_PBKDF2_SHA256_ITERATIONS = 999;
/** hashcat 7.0.0, mode 34000, "Argon2id with RFC 9106 recommended settings (m=65536, t=3, p=1)": 1703 H/s.
 *  Source: hashcat 7.0.0 release notes §2.2, https://github.com/hashcat/hashcat/blob/master/docs/releases_notes_v7.0.0.md */
const GPU_ARGON2ID_HS = 1703;
const GPU_ARGON2ID_REF = { m: 65536, t: 3 };
const GPU_MEMORY_KIB = 24 * 1024 * 1024;

/** PBKDF2 guesses/s scale with 1/iterations (measured point above). */
const gpuPbkdf2Rate = (iterations: number) =>
  (GPU_PBKDF2_SHA256_HS * GPU_PBKDF2_SHA256_ITERATIONS) / iterations;
/** Argon2id on a GPU is memory-bandwidth bound: guesses/s scaled by 1/(m·t) from the one published point. An
 *  estimate, exact only at m=64 MiB t=3. */
const gpuArgon2Rate = (p: Argon2Params) =>
  (GPU_ARGON2ID_HS * GPU_ARGON2ID_REF.m * GPU_ARGON2ID_REF.t) / (p.m * p.t);

// ---- Run ------------------------------------------------------------------------------------------------
const options: LoopOptions = {
  rounds: Number(process.env.UMBRA_BENCH_ROUNDS ?? 5),
  slowMs: Number(process.env.UMBRA_BENCH_SLOW_MS ?? 4000),
  only: process.env.UMBRA_BENCH_PARAMS?.split(",").filter(Boolean),
};
if (!Number.isInteger(options.rounds) || options.rounds < 1)
  throw new Error("UMBRA_BENCH_ROUNDS must be a positive integer");

const require = createRequire(import.meta.url);
const versionOf = (pkg: string) => {
  // Resolve the package's main entry, then walk up to its package.json (some packages do not export it).
  let dir = require.resolve(pkg).replace(/\/[^/]*$/, "");
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as {
        name?: string;
        version: string;
      };
      if (json.name === pkg) return json.version;
    } catch {}
    const parent = dir.replace(/\/[^/]*$/, "");
    if (parent === dir) return "?";
    dir = parent;
  }
};
const versions = {
  noble: `@noble/hashes ${versionOf("@noble/hashes")}`,
  "hash-wasm": `hash-wasm ${versionOf("hash-wasm")}`,
  libsodium: `libsodium-wrappers-sumo ${versionOf("libsodium-wrappers-sumo")}`,
};
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

console.log(
  `machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? "?"}), ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; load average ${load()}`,
);
console.log(`libraries: ${Object.values(versions).join(", ")}`);
console.log(
  `${options.rounds} rounds, cases interleaved, after one untimed (cold) call per implementation; ` +
    `median ms per guess [min]; ratios paired per round with the baseline, median of the pairs\n`,
);

const started = performance.now();
const node = await measureLinkKdf(options);
console.log(`Node done in ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${load()}`);
const chromiumStarted = performance.now();
const chromium = await measureInChromium(options);
console.log(
  `Chromium ${chromium.version} done in ${((performance.now() - chromiumStarted) / 1000).toFixed(0)} s; ` +
    `load average ${load()}\n`,
);

// ---- Report ---------------------------------------------------------------------------------------------
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const key = (c: CaseResult) => `${c.implementation}|${c.params?.name ?? "baseline"}`;
const find = (result: LoopResult, c: CaseResult) => result.cases.find((x) => key(x) === key(c))!;
const baselineOf = (result: LoopResult) => result.cases.find((c) => !c.params)!.samples;
/** Ratio to the baseline paired per round (samples[i] of every case belong to round i, run back to back), median
 *  over rounds: a load burst from elsewhere on the machine hits both sides of a pair alike. */
const pairedRatio = (samples: number[], base: number[]) => median(samples.map((ms, i) => ms / base[i]!));
const fmtMs = (samples: number[]) =>
  `${median(samples).toFixed(0)} [${Math.min(...samples).toFixed(0)}]${samples.length < options.rounds ? "*" : ""}`;
const fmtRate = (rate: number) =>
  rate >= 10_000 ? `${(rate / 1000).toFixed(1)} k` : rate.toFixed(0).replace(/\B(?=(\d{3})+$)/g, ",");

const nodeBase = baselineOf(node);
const chromiumBase = baselineOf(chromium.result);
const pbkdf2GpuRate = gpuPbkdf2Rate(node.pbkdf2Iterations);
console.log(
  "| KDF, parameters | implementation | Node ms/guess | Node ÷ PBKDF2 | Chromium ms/guess | Chromium ÷ PBKDF2 " +
    "| est. RTX 4090 guesses/s | guesses in flight per 24 GiB | 1 GPU ≙ N Chromium link pages | attacker cost gain |",
);
console.log("| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: |");
for (const c of node.cases) {
  const n = c.samples;
  const ch = find(chromium.result, c).samples;
  const chRatio = pairedRatio(ch, chromiumBase);
  const rate = c.params ? gpuArgon2Rate(c.params) : pbkdf2GpuRate;
  const inFlight = c.params ? Math.floor(GPU_MEMORY_KIB / c.params.m) : undefined;
  // GPU guesses/s × seconds one guess costs the link page (its paired ratio × the baseline's median).
  const pages = rate * ((chRatio * median(chromiumBase)) / 1000);
  const gain = pbkdf2GpuRate / rate / chRatio;
  const label = c.params
    ? `Argon2id ${c.params.name}`
    : `PBKDF2-SHA256 ${node.pbkdf2Iterations.toLocaleString("en")} (today, baseline)`;
  const impl = c.params
    ? versions[c.implementation as keyof typeof versions]
    : "Web Crypto (deriveWrappingKey)";
  const scaled = c.params && c.params.m !== GPU_ARGON2ID_REF.m ? " (scaled)" : "";
  console.log(
    `| ${label} | ${impl} | ${fmtMs(n)} | ${pairedRatio(n, nodeBase).toFixed(2)} | ${fmtMs(ch)} | ` +
      `${chRatio.toFixed(2)} | ${fmtRate(rate)}${scaled} | ` +
      `${inFlight === undefined ? "not memory-bound" : inFlight.toLocaleString("en")} | ` +
      `${pages.toFixed(0)} | ${gain.toFixed(1)}× |`,
  );
}
const stopped = [...node.cases, ...chromium.result.cases].filter((c) => c.note);
if (stopped.length) console.log("\n* fewer samples: a guess took longer than UMBRA_BENCH_SLOW_MS");
console.log(
  `\ncold first call (ms, library/WebAssembly load included, ${ARGON2_PARAMS.find((p) => !options.only?.length || options.only.includes(p.name))?.name}): ` +
    (["webcrypto", ...ARGON2_IMPLEMENTATIONS] as const)
      .map((i) => `${i} Node ${node.coldMs[i].toFixed(0)} / Chromium ${chromium.result.coldMs[i].toFixed(0)}`)
      .join("; "),
);
console.log(
  "\nAttacker columns: one RTX 4090 (hashcat published figures, not measured here): PBKDF2-HMAC-SHA256 " +
    `${(GPU_PBKDF2_SHA256_HS / 1000).toFixed(1)} kH/s at ${GPU_PBKDF2_SHA256_ITERATIONS} iterations ` +
    `(hashcat 6.2.6) scaled to ${node.pbkdf2Iterations.toLocaleString("en")} = ${fmtRate(pbkdf2GpuRate)}/s; ` +
    `Argon2id m=64 MiB t=3 p=1 ${GPU_ARGON2ID_HS} H/s (hashcat 7.0.0), other m/t scaled by 1/(m·t). ` +
    "'1 GPU ≙ N link pages' = GPU guesses/s × the Chromium seconds one guess costs the link page: how many " +
    "waiting link pages one GPU out-guesses. 'attacker cost gain' = that number for PBKDF2 ÷ that for the row " +
    "(higher is better for the defender, per second of the visitor's wait).",
);
