import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { runCli } from "./harness.js";

describe("umbra CLI against a server with a small quota", { timeout: 240_000 }, () => {
  const cli = useCliServer("quota", { UMBRA_QUOTA_BYTES: String(256 * 1024) });

  it("reports quota exceeded with one line and exit code 5", async () => {
    const env = cli.env("quota password 1");
    const signup = await runCli(["signup", "--email", "q@example.com", "--json"], { env });
    expect(signup.code, signup.stderr).toBe(0);
    await mkdir(join(cli.work, "files"));
    await writeFile(join(cli.work, "files", "small.bin"), randomBytes(10_000));
    await writeFile(join(cli.work, "files", "too-big.bin"), randomBytes(400_000));
    const small = await runCli(["upload", "--all", join(cli.work, "files", "small.bin")], { env });
    expect(small.code, small.stderr).toBe(0);
    const big = await runCli(["upload", "--all", join(cli.work, "files", "too-big.bin")], { env });
    expect(big.code).toBe(5);
    expect(big.stderr).toMatch(/^umbra: error: storage quota exceeded/);
    expect(big.stderr.trim().split("\n")).toHaveLength(1);
  });
});
