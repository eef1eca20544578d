import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCliForTests } from "./build-once.js";
import { largestFileSize, type RunningServer, runCli, startCli, startServer } from "./harness.js";

let server: RunningServer;
let work: string;
let env: Record<string, string>;

describe("umbra upload: Ctrl-C then re-run", { timeout: 300_000 }, () => {
  beforeAll(async () => {
    await buildCliForTests();
    server = await startServer();
    work = await mkdtemp(join(tmpdir(), "umbra-cli-interrupt-"));
    env = {
      UMBRA_SERVER: server.url,
      UMBRA_CONFIG_DIR: join(work, "config"),
      UMBRA_PASSWORD: "interrupt password 1",
      UMBRA_UPLOAD_CHUNK_BYTES: String(1024 * 1024),
    };
    const signup = await runCli(["signup", "--email", "ctrlc@example.com"], { env });
    expect(signup.code, signup.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  it("stops cleanly on SIGINT (exit 130) and the next run resumes and finishes", async () => {
    const big = join(work, "in", "clip.bin");
    await mkdir(join(work, "in"), { recursive: true });
    const bytes = randomBytes(128 * 1024 * 1024);
    await writeFile(big, bytes);
    const run = startCli(["upload", "--all", big], { env });
    const uploads = join(server.dataDir, "uploads");
    const deadline = Date.now() + 150_000;
    while (
      Date.now() < deadline &&
      run.child.exitCode === null &&
      (await largestFileSize(uploads)) < 4 * 1024 * 1024
    ) {
      await new Promise((r) => setTimeout(r, 10));
    }
    run.child.kill("SIGINT");
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stdout).not.toMatch(/1 uploaded/);

    const second = await runCli(["upload", "--all", big], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(Number(/resuming .*clip\.bin at byte (\d+)/.exec(second.stdout)?.[1])).toBeGreaterThan(0);
    expect(second.stdout).toMatch(/1 uploaded/);
    const listed = JSON.parse((await runCli(["ls", "--json"], { env })).stdout) as { id: string }[];
    expect(listed).toHaveLength(1);
    const out = join(work, "clip-back.bin");
    const download = await runCli(["download", listed[0]!.id, "--out", out], { env });
    expect(download.code, download.stderr).toBe(0);
    expect((await readFile(out)).equals(bytes)).toBe(true);
  });
});
