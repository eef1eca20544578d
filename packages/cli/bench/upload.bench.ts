/**
 * Upload throughput of one large file: UMBRA_BENCH_MIB (default 512) MiB of random bytes uploaded by the
 * real CLI to a local server, once named .bin (application/octet-stream, the default segment size) and once
 * named .mp4 (video/mp4, the smaller video segments), against `curl -T` of the same file to a plain PUT sink
 * writing to the same disk. Runs are interleaved and each is the best of UMBRA_BENCH_RUNS (default 3).
 * Prints MB/s and the ratio to curl, the ratio this machine's cores allow at best (crypto-floor.ts), and the
 * CPU seconds per GiB of the CLI and of the server separately.
 * Env: UMBRA_BENCH_MIB, UMBRA_BENCH_RUNS, UMBRA_BENCH_JOBS (default 4), UMBRA_BENCH_CPU_PROF (a directory
 * for V8 CPU profiles of the CLI and the server; open them in Chrome DevTools).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, open, rename, rm, truncate } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "../scripts/build.mjs";
import { CLI_BIN, REPO, startServer } from "../test/harness.js";
import { curlUpload, startPlainSink } from "./plain-sink.js";
import { cpuSeconds, peakRss, type TimedRun, timedRun } from "./process-cpu.js";

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const totalMiB = Number(process.env.UMBRA_BENCH_MIB ?? 512);
const RUNS = Math.max(1, Number(process.env.UMBRA_BENCH_RUNS ?? 3));
const JOBS = Number(process.env.UMBRA_BENCH_JOBS ?? 4);
const CPU_PROF_DIR = process.env.UMBRA_BENCH_CPU_PROF;
const profiling: string[] = CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];

interface UploadRun extends TimedRun {
  serverCpuSeconds: number;
}

const CASES = [
  { label: "file (.bin)", name: "large.bin", mime: "application/octet-stream" },
  { label: "video (.mp4)", name: "large.mp4", mime: "video/mp4" },
] as const;

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, "w");
  try {
    const chunk = randomBytes(Math.min(bytes, 8 * MIB));
    for (let written = 0, i = 0; written < bytes; written += chunk.length, i++) {
      // Each block differs by a counter, so the file is not one repeated block.
      chunk.writeUInt32BE(i, 0);
      await handle.write(chunk, 0, Math.min(chunk.length, bytes - written));
    }
  } finally {
    await handle.close();
  }
}

/**
 * Makes the file new: other first bytes (not a duplicate) and a size no uploaded file has (so the CLI may
 * start sending before its digest is known, as for any new file; the same size makes it wait for the digest).
 */
async function stamp(path: string, size: number, run: number): Promise<void> {
  await truncate(path, size - run);
  const handle = await open(path, "r+");
  try {
    const mark = Buffer.alloc(8);
    mark.writeDoubleBE(run);
    await handle.write(mark, 0, 8, 0);
  } finally {
    await handle.close();
  }
}

/** Dirty pages of the previous run are written out first, so every run starts from the same disk state. */
function sync(): Promise<void> {
  return new Promise((resolve) => spawn("sync").on("close", () => resolve()));
}

/** Runs crypto-floor.ts over the file: the CPU seconds of the digest and encryption alone, in `mime`'s segments. */
function cryptoFloor(file: string, mime: string): Promise<{ cpuSeconds: number; segmentSize: number }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), "crypto-floor.ts");
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script, file], {
    cwd: REPO,
    env: { ...process.env, UMBRA_FLOOR_MIME: mime },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) =>
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`crypto-floor exited with ${code}`)),
    ),
  );
}

function best<T extends TimedRun>(runs: T[]): T {
  return runs.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
}

async function main(): Promise<void> {
  await buildCli();
  const work = await mkdtemp(join(tmpdir(), "umbra-bench-"));
  const size = totalMiB * MIB;
  const input = join(work, "input");
  await mkdir(input);
  process.stdout.write(`generating one file of ${totalMiB} MiB; best of ${RUNS} runs each\n`);
  let current = join(input, CASES[0].name);
  await writeRandomFile(current, size);

  const server = await startServer(
    { UMBRA_DATA_DIR: join(work, "server"), UMBRA_QUOTA_BYTES: String(size * 4 * (RUNS * 2 + 1)) },
    profiling,
  );
  const sinkDir = join(work, "sink");
  await mkdir(sinkDir);
  const sink = await startPlainSink(sinkDir);
  const env = {
    ...process.env,
    UMBRA_SERVER: server.url,
    UMBRA_CONFIG_DIR: join(work, "config"),
    UMBRA_PASSWORD: "benchmark password",
  };
  const cli = (args: string[], nodeArgs: string[] = []) =>
    timedRun([process.execPath, ...nodeArgs, CLI_BIN, ...args], env);
  try {
    if ((await cli(["signup", "--email", "bench@example.com", "--json"])).code !== 0)
      throw new Error("signup failed");
    const curlRuns: (TimedRun & { sinkCpuSeconds: number })[] = [];
    const umbraRuns: UploadRun[][] = CASES.map(() => []);
    let stampNo = 0;
    for (let run = 0; run < RUNS; run++) {
      await sync();
      const sinkBefore = await cpuSeconds(sink.child.pid);
      const curl = await curlUpload(sink.port, current);
      curlRuns.push({ ...curl, sinkCpuSeconds: (await cpuSeconds(sink.child.pid)) - sinkBefore });
      await rm(sinkDir, { recursive: true, force: true });
      await mkdir(sinkDir);
      for (const [i, { name }] of CASES.entries()) {
        const path = join(input, name);
        if (path !== current) await rename(current, path);
        current = path;
        await stamp(path, size, ++stampNo);
        await sync();
        const serverBefore = await cpuSeconds(server.process.pid);
        const upload = await cli(["upload", "--all", "--jobs", String(JOBS), path], profiling);
        if (upload.code !== 0) throw new Error(`umbra upload exited with ${upload.code}`);
        umbraRuns[i]!.push({
          ...upload,
          serverCpuSeconds: (await cpuSeconds(server.process.pid)) - serverBefore,
        });
      }
    }

    const mb = size / 1e6;
    const gib = size / GIB;
    const cores = availableParallelism();
    const curl = best(curlRuns);
    const plainCpu = curl.cpuSeconds + curl.sinkCpuSeconds;
    const rate = (seconds: number) => `${(mb / seconds).toFixed(1)} MB/s`;
    const lines = [
      `curl -T to a plain sink:   ${rate(curl.wallSeconds)} (${curl.wallSeconds.toFixed(2)} s; runs ${curlRuns.map((r) => r.wallSeconds.toFixed(2)).join(", ")} s)`,
      `  CPU s/GiB: curl ${(curl.cpuSeconds / gib).toFixed(2)}, sink ${(curl.sinkCpuSeconds / gib).toFixed(2)}`,
    ];
    for (const [i, { label, mime }] of CASES.entries()) {
      const runs = umbraRuns[i]!;
      const top = best(runs);
      const floor = await cryptoFloor(current, mime);
      const segment = floor.segmentSize;
      // Umbra does at least what the plain PUT does plus the crypto, spread over at most `cores` cores.
      const floorSeconds = (plainCpu + floor.cpuSeconds) / cores;
      const allowed = curl.wallSeconds / Math.max(curl.wallSeconds, floorSeconds);
      lines.push(
        `umbra upload, ${label}, ${segment / 1024} KiB segments: ${rate(top.wallSeconds)} (${top.wallSeconds.toFixed(2)} s; runs ${runs.map((r) => r.wallSeconds.toFixed(2)).join(", ")} s)`,
        `  ratio umbra / curl: ${(curl.wallSeconds / top.wallSeconds).toFixed(2)}; best this machine allows: (plain CPU ${plainCpu.toFixed(2)} + crypto ${floor.cpuSeconds.toFixed(2)} s) / ${cores} cores → ${allowed.toFixed(2)}`,
        `  CPU s/GiB: CLI ${(top.cpuSeconds / gib).toFixed(2)}, server ${(top.serverCpuSeconds / gib).toFixed(2)} (crypto alone ${(floor.cpuSeconds / gib).toFixed(2)}); peak RSS CLI ${(top.peakRss / MIB).toFixed(0)} MiB`,
      );
    }
    lines.push(`peak RSS: server ${((await peakRss(server.process.pid)) / MIB).toFixed(0)} MiB`);
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    sink.stop();
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
