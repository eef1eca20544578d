/**
 * Upload throughput: UMBRA_BENCH_MIB (default 1024) MiB as one large file + 200 small files, uploaded
 * by the real CLI to a local server, then the same bytes by plain HTTP PUT to a minimal sink that writes
 * to the same disk. Prints MB/s of both, the ratio, and the peak RSS of client and server.
 * Env: UMBRA_BENCH_MIB, UMBRA_BENCH_JOBS (default 4), UMBRA_BENCH_CPU_PROF (a directory for CPU profiles).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "../scripts/build.mjs";
import { CLI_BIN, REPO, startServer } from "../test/harness.js";

const MIB = 1024 * 1024;
const totalMiB = Number(process.env.UMBRA_BENCH_MIB ?? 1024);
const SMALL_COUNT = 200;
const JOBS = Number(process.env.UMBRA_BENCH_JOBS ?? 4);
/** A directory to write V8 CPU profiles of the upload CLI and the server into (open them in Chrome DevTools). */
const CPU_PROF_DIR = process.env.UMBRA_BENCH_CPU_PROF;
const profiling: string[] = CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];

/** VmHWM (peak resident set) of a live process, in bytes. */
async function peakRss(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system, all threads) a live process has used so far. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Samples a process's peak RSS and CPU time until it exits (the last sample before exit is the peak).
 * CPU time shows where the time went on a shared machine, where wall-clock rates swing from run to run.
 */
function watchRss(child: ChildProcess): { peak: () => number; cpu: () => number; stop: () => void } {
  let peak = 0;
  let cpu = 0;
  const timer = setInterval(async () => {
    peak = Math.max(peak, await peakRss(child.pid));
    cpu = Math.max(cpu, await cpuSeconds(child.pid));
  }, 50);
  return { peak: () => peak, cpu: () => cpu, stop: () => clearInterval(timer) };
}

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const chunk = randomBytes(Math.min(bytes, 8 * MIB));
  const parts: Buffer[] = [];
  for (let left = bytes; left > 0; left -= chunk.length)
    parts.push(left >= chunk.length ? chunk : chunk.subarray(0, left));
  // Each chunk is re-randomised cheaply by a counter so the file is not one repeated block.
  await writeFile(
    path,
    parts.map((p, i) => {
      const copy = Buffer.from(p);
      copy.writeUInt32BE(i, 0);
      return copy;
    }),
  );
}

function run(
  args: string[],
  env: Record<string, string>,
  input = "",
  nodeArgs: string[] = [],
): { child: ChildProcess; done: Promise<number> } {
  const child = spawn(process.execPath, [...nodeArgs, CLI_BIN, ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["pipe", "ignore", "inherit"],
  });
  child.stdin!.end(input);
  return { child, done: new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1))) };
}

const SINK_SOURCE = `
const http = require("node:http"); const fs = require("node:fs"); const path = require("node:path");
const dir = process.argv[1]; let n = 0;
http.createServer((req, res) => {
  const out = fs.createWriteStream(path.join(dir, "put-" + n++));
  req.pipe(out);
  out.on("finish", () => { res.statusCode = 201; res.end(); });
}).listen(0, "127.0.0.1", function () { console.log("sink " + this.address().port); });
`;

async function startSink(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["-e", SINK_SOURCE, dir], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /sink (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, port };
}

function put(port: number, file: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method: "PUT", path: "/", headers: { "content-length": size } },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`sink: ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    createReadStream(file).pipe(req);
  });
}

/** Runs crypto-floor.ts over the files: the CPU seconds of the digest and encryption alone. */
function cryptoFloor(files: string[]): Promise<{ cpuSeconds: number; wallSeconds: number }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), "crypto-floor.ts");
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script, ...files], {
    cwd: REPO,
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

async function main(): Promise<void> {
  await buildCli();
  const work = await mkdtemp(join(tmpdir(), "umbra-bench-"));
  const input = join(work, "input");
  await mkdir(join(input, "small"), { recursive: true });
  const total = totalMiB * MIB;
  const smallSize = Math.floor(total / 2 / SMALL_COUNT);
  const largeSize = total - smallSize * SMALL_COUNT;
  process.stdout.write(
    `generating ${totalMiB} MiB: 1 × ${(largeSize / MIB).toFixed(1)} MiB + ${SMALL_COUNT} × ${(smallSize / MIB).toFixed(2)} MiB\n`,
  );
  await writeRandomFile(join(input, "large.bin"), largeSize);
  for (let i = 0; i < SMALL_COUNT; i++)
    await writeRandomFile(join(input, "small", `s${String(i).padStart(3, "0")}.bin`), smallSize);

  const server = await startServer(
    {
      UMBRA_DATA_DIR: join(work, "server"),
      UMBRA_QUOTA_BYTES: String(total * 4),
    },
    profiling,
  );
  const serverRss = watchRss(server.process);
  const env = {
    UMBRA_SERVER: server.url,
    UMBRA_CONFIG_DIR: join(work, "config"),
    UMBRA_PASSWORD: "benchmark password",
  };
  try {
    if ((await run(["signup", "--email", "bench@example.com", "--json"], env).done) !== 0)
      throw new Error("signup failed");
    const serverCpuBefore = await cpuSeconds(server.process.pid);
    const upload = run(["upload", "--all", "--jobs", String(JOBS), input], env, "", profiling);
    const clientRss = watchRss(upload.child);
    const started = performance.now();
    const code = await upload.done;
    const umbraSeconds = (performance.now() - started) / 1000;
    clientRss.stop();
    const serverCpu = (await cpuSeconds(server.process.pid)) - serverCpuBefore;
    if (code !== 0) throw new Error(`umbra upload exited with ${code}`);

    const sinkDir = join(work, "sink");
    await mkdir(sinkDir);
    const sink = await startSink(sinkDir);
    const sinkRss = watchRss(sink.child);
    const files = [
      join(input, "large.bin"),
      ...(await readdir(join(input, "small"))).map((f) => join(input, "small", f)),
    ];
    const queue = [...files];
    const putStarted = performance.now();
    const putCpuBefore = process.cpuUsage();
    await Promise.all(
      Array.from({ length: JOBS }, async () => {
        for (let file = queue.shift(); file; file = queue.shift())
          await put(sink.port, file, (await stat(file)).size);
      }),
    );
    const putSeconds = (performance.now() - putStarted) / 1000;
    const putCpu = process.cpuUsage(putCpuBefore);
    sinkRss.stop();
    sink.child.kill();

    const floor = await cryptoFloor(files);
    const cores = availableParallelism();
    const plainCpu = (putCpu.user + putCpu.system) / 1e6 + sinkRss.cpu();
    // Umbra does at least what the plain PUT does plus the crypto, spread over at most `cores` cores.
    const floorSeconds = (plainCpu + floor.cpuSeconds) / cores;
    const bestRatio = putSeconds / Math.max(putSeconds, floorSeconds);

    const mb = total / 1e6;
    const umbraRate = mb / umbraSeconds;
    const putRate = mb / putSeconds;
    process.stdout.write(
      [
        `umbra upload (encrypt + tus, ${JOBS} jobs): ${umbraSeconds.toFixed(2)} s, ${umbraRate.toFixed(1)} MB/s`,
        `plain HTTP PUT to a sink:              ${putSeconds.toFixed(2)} s, ${putRate.toFixed(1)} MB/s`,
        `ratio umbra / plain:                   ${(umbraRate / putRate).toFixed(2)}`,
        `peak RSS: umbra CLI ${(clientRss.peak() / MIB).toFixed(0)} MiB, umbra server ${(serverRss.peak() / MIB).toFixed(0)} MiB, sink ${(sinkRss.peak() / MIB).toFixed(0)} MiB`,
        `CPU seconds: umbra CLI ${clientRss.cpu().toFixed(1)} + server ${serverCpu.toFixed(1)}; plain PUT client ${((putCpu.user + putCpu.system) / 1e6).toFixed(1)} + sink ${sinkRss.cpu().toFixed(1)}`,
        `crypto floor (one read + HMAC + AES-GCM, OpenSSL, one process): ${floor.cpuSeconds.toFixed(1)} CPU s`,
        `best ratio this machine allows: (plain CPU ${plainCpu.toFixed(1)} + crypto ${floor.cpuSeconds.toFixed(1)}) / ${cores} cores = ${floorSeconds.toFixed(2)} s → ${bestRatio.toFixed(2)}`,
      ].join("\n") + "\n",
    );
  } finally {
    serverRss.stop();
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
