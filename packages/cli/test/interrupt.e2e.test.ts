import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { untilServerHolds, useCliServer } from "./cli-server.js";
import { runCli, startCli } from "./harness.js";

let env: Record<string, string>;

describe("umbra upload: Ctrl-C then re-run", { timeout: 300_000 }, () => {
  const cli = useCliServer("interrupt");
  beforeAll(async () => {
    env = cli.env("interrupt password 1", { UMBRA_UPLOAD_CHUNK_BYTES: String(1024 * 1024) });
    const signup = await runCli(["signup", "--email", "ctrlc@example.com"], { env });
    expect(signup.code, signup.stderr).toBe(0);
  }, 180_000);

  it("stops cleanly on SIGINT (exit 130) and the next run resumes and finishes", async () => {
    const big = join(cli.work, "in", "clip.bin");
    await mkdir(join(cli.work, "in"), { recursive: true });
    const bytes = randomBytes(128 * 1024 * 1024);
    await writeFile(big, bytes);
    const run = startCli(["upload", "--all", big], { env });
    await untilServerHolds(cli.server, run, 4 * 1024 * 1024);
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
    const out = join(cli.work, "clip-back.bin");
    const download = await runCli(["download", listed[0]!.id, "--out", out], { env });
    expect(download.code, download.stderr).toBe(0);
    expect((await readFile(out)).equals(bytes)).toBe(true);
  });
});
