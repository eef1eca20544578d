/**
 * CPU time and peak memory of the processes a benchmark runs: read from /proc for long-lived ones (server,
 * sink), and from the shell's `times` for short-lived ones, which counts every CPU second of the command
 * up to its exit (sampling /proc misses the last interval).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";

/** CPU seconds (user + system, all threads) a live process has used so far. */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** VmHWM (peak resident set) of a live process, in bytes. */
export async function peakRss(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface TimedRun {
  code: number;
  wallSeconds: number;
  /** User + system CPU seconds of the command and everything it waited for. */
  cpuSeconds: number;
  /** Peak resident set seen while it ran (sampled). */
  peakRss: number;
}

/** `1m2.5s` (bash's `times` format) in seconds. */
function bashSeconds(text: string): number {
  const match = /(\d+)m([\d.]+)s/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : 0;
}

/**
 * Runs a command under bash, which reports its children's CPU time on fd 3 once the command exited; the
 * command's own stderr passes through, its stdout is dropped.
 */
export function timedRun(command: string[], env: NodeJS.ProcessEnv = process.env): Promise<TimedRun> {
  const child: ChildProcess = spawn("bash", ["-c", '"$@"; rc=$?; times >&3; exit $rc', "bash", ...command], {
    env,
    stdio: ["ignore", "ignore", "inherit", "pipe"],
  });
  let times = "";
  (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => {
    times += chunk.toString();
  });
  let peak = 0;
  const sampler = setInterval(async () => {
    // The command is bash's child: sample the biggest process under it.
    const kids = await readFile(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").catch(() => "");
    for (const pid of kids.trim().split(/\s+/).filter(Boolean))
      peak = Math.max(peak, await peakRss(Number(pid)));
  }, 50);
  const started = performance.now();
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearInterval(sampler);
      // Second line of `times`: the children's user and system time.
      const childLine = times.trim().split("\n")[1] ?? "";
      const [user = "", system = ""] = childLine.trim().split(/\s+/);
      resolve({
        code: code ?? 1,
        wallSeconds: (performance.now() - started) / 1000,
        cpuSeconds: bashSeconds(user) + bashSeconds(system),
        peakRss: peak,
      });
    }),
  );
}
