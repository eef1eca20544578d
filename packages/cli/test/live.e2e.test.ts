import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UmbraClient } from "@umbra/client";
import { beforeAll, describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { CLI_BIN, REPO, runCli, startCli } from "./harness.js";

// Live recordings from the CLI (README, "Live recordings"): the real CLI process against a real server.

const S = 16 * 1024;
const EMAIL = "live@example.com";
const PASSWORD = "live password 1";
let env: Record<string, string>;
let watcher: UmbraClient;

/** Waits (checking every 20 ms) until `ready` answers a value, or fails after `what` did not happen in 120 s. */
async function until<T>(what: string, ready: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await ready();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const liveIdIn = (stderr: string) => /live .* \((f_[A-Za-z0-9_-]{22})\)/.exec(stderr)?.[1];

async function downloaded(fileId: string): Promise<Buffer> {
  const { stream } = await watcher.download(fileId);
  return Buffer.from(await new Response(stream).arrayBuffer());
}

/** How many bytes the server holds of a live file (undefined once it is not live). */
async function liveLength(fileId: string): Promise<number | undefined> {
  const response = await watcher.http.send("/api/live");
  const { files } = (await response.json()) as { files: { id: string; length: number }[] };
  return files.find((f) => f.id === fileId)?.length;
}

describe("umbra upload --follow / --stdin / --recover", { timeout: 300_000 }, () => {
  const cli = useCliServer("live");
  beforeAll(async () => {
    env = cli.env(PASSWORD);
    const signup = await runCli(["signup", "--email", EMAIL], { env });
    expect(signup.code, signup.stderr).toBe(0);
    watcher = new UmbraClient({ serverUrl: cli.server.url });
    await watcher.login(EMAIL, PASSWORD);
  }, 180_000);

  it("--follow uploads a file as it is written; another device watches it grow; SIGINT finishes it", async () => {
    const path = join(cli.work, "growing.webm");
    const parts = [randomBytes(3 * S + 100), randomBytes(2 * S), randomBytes(777)];
    await writeFile(path, parts[0]!);
    const run = startCli(["upload", "--follow", path, "--idle-exit", "600"], { env });
    let stderr = "";
    run.child.stderr!.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const fileId = await until("the live file id", () => liveIdIn(stderr));
    const reader = await watcher.live.open(fileId, { pollIntervalMs: 50 });
    expect(reader.live).toBe(true);
    // The first three segments arrive while the file is still being written.
    let seen = Buffer.alloc(0);
    while (seen.length < 3 * S) seen = Buffer.concat([seen, (await reader.next())!]);
    expect(seen.equals(parts[0]!.subarray(0, seen.length))).toBe(true);
    await appendFile(path, parts[1]!);
    await until("the second part on the server", async () =>
      ((await liveLength(fileId)) ?? 0) >= 47 + 5 * (S + 16) ? true : undefined,
    );
    await appendFile(path, parts[2]!);
    run.child.kill("SIGINT");
    const done = await run.done;
    expect(done.code, stderr).toBe(0);
    expect(done.stdout).toMatch(new RegExp(`uploaded growing.webm \\(${fileId}\\)`));
    const whole = Buffer.concat(parts);
    for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next())
      seen = Buffer.concat([seen, chunk]);
    expect(seen.equals(whole)).toBe(true);
    expect((await downloaded(fileId)).equals(whole)).toBe(true);
  });

  it("--stdin uploads ffmpeg's output as it is encoded, and the result plays (ffprobe)", async () => {
    const ffmpeg = spawn("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc=duration=3:size=320x240:rate=25",
      "-c:v",
      "libvpx",
      "-b:v",
      "300k",
      "-f",
      "webm",
      "pipe:1",
    ]);
    const child = spawn(process.execPath, [CLI_BIN, "upload", "--stdin", "--name", "pipe.webm"], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    ffmpeg.stdout.pipe(child.stdin!);
    const sent: Buffer[] = [];
    ffmpeg.stdout.on("data", (c: Buffer) => sent.push(c));
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, stderr).toBe(0);
    const fileId = /uploaded pipe\.webm \((f_[A-Za-z0-9_-]{22})\)/.exec(stdout)?.[1];
    expect(fileId, stdout).toBeDefined();
    const bytes = await downloaded(fileId!);
    expect(bytes.equals(Buffer.concat(sent))).toBe(true);
    const out = join(cli.work, "pipe-back.webm");
    await writeFile(out, bytes);
    const probe = await new Promise<string>((resolve, reject) =>
      execFile(
        "ffprobe",
        ["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", out],
        (e, o) => (e ? reject(e) : resolve(o)),
      ),
    );
    expect(probe.trim()).toBe("vp8");
  });

  it("kill -9 mid-follow: --recover keeps every whole segment and says what happened", async () => {
    const path = join(cli.work, "killed.webm");
    const bytes = randomBytes(6 * S + 5000);
    await writeFile(path, bytes);
    const run = startCli(["upload", "--follow", path, "--idle-exit", "600"], { env });
    let stderr = "";
    run.child.stderr!.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const fileId = await until("the live file id", () => liveIdIn(stderr));
    await until("six segments on the server", async () =>
      ((await liveLength(fileId)) ?? 0) >= 47 + 6 * (S + 16) ? true : undefined,
    );
    run.child.kill("SIGKILL");
    await run.done;
    const recovered = await runCli(["upload", "--recover", "--stale", "0"], { env });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stderr).toMatch(
      /recovered "killed\.webm": kept \S+ \S+ \(the recording was interrupted; 6 segments\)/,
    );
    expect((await downloaded(fileId)).equals(bytes.subarray(0, 6 * S))).toBe(true);
    expect(await liveLength(fileId)).toBeUndefined();
    const again = await runCli(["upload", "--recover", "--stale", "0"], { env });
    expect(again.stderr).not.toMatch(/recovered/);
    expect(await readFile(path)).toHaveLength(bytes.length);
  });
});
