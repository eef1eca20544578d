import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCliForTests } from "./build-once.js";
import { type RunningServer, runCli, startServer } from "./harness.js";

let server: RunningServer;
let work: string;

describe("umbra CLI against a server with a small quota", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    await buildCliForTests();
    server = await startServer({ UMBRA_QUOTA_BYTES: String(256 * 1024) });
    work = await mkdtemp(join(tmpdir(), "umbra-cli-quota-"));
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  it("reports quota exceeded with one line and exit code 5", async () => {
    const env = {
      UMBRA_SERVER: server.url,
      UMBRA_CONFIG_DIR: join(work, "config"),
      UMBRA_PASSWORD: "quota password 1",
    };
    const signup = await runCli(["signup", "--email", "q@example.com", "--json"], { env });
    expect(signup.code, signup.stderr).toBe(0);
    await mkdir(join(work, "files"));
    await writeFile(join(work, "files", "small.bin"), randomBytes(10_000));
    await writeFile(join(work, "files", "too-big.bin"), randomBytes(400_000));
    const small = await runCli(["upload", "--all", join(work, "files", "small.bin")], { env });
    expect(small.code, small.stderr).toBe(0);
    const big = await runCli(["upload", "--all", join(work, "files", "too-big.bin")], { env });
    expect(big.code).toBe(5);
    expect(big.stderr).toMatch(/^umbra: error: storage quota exceeded/);
    expect(big.stderr.trim().split("\n")).toHaveLength(1);
  });
});
