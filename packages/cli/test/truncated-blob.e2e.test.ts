import { randomBytes } from "node:crypto";
import { mkdir, readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { listFiles, runCli } from "./harness.js";

/** Exit code of integrity failures (README.md, "Exit codes"). */
const EXIT_INTEGRITY = 6;

let env: Record<string, string>;
let fileId: string;
let blob: string;
let original: Buffer;

describe("umbra download of a blob cut short on the server's disk", { timeout: 240_000 }, () => {
  const cli = useCliServer("truncated");
  beforeAll(async () => {
    env = cli.env("truncated blob password 1");
    expect((await runCli(["signup", "--email", "cut@example.com"], { env })).code).toBe(0);
    await mkdir(join(cli.work, "in"));
    await writeFile(join(cli.work, "in", "cut.bin"), randomBytes(300_000));
    const upload = await runCli(["upload", "--all", join(cli.work, "in", "cut.bin")], { env });
    expect(upload.code, upload.stderr).toBe(0);
    fileId = (JSON.parse((await runCli(["ls", "--json"], { env })).stdout) as { id: string }[])[0]!.id;
    // The only file's content blob (blobs/ab/cd/<uploadId>.content).
    const blobs = join(cli.server.dataDir, "blobs");
    const contents = (await listFiles(blobs)).filter((rel) => rel.endsWith(".content"));
    expect(contents).toHaveLength(1);
    blob = join(blobs, contents[0]!);
    original = await readFile(blob);
  }, 180_000);
  afterEach(async () => {
    await writeFile(blob, original);
  });

  it("exits 6 with one integrity line and leaves no output file (download, export, backup)", async () => {
    await truncate(blob, original.length - 1000);
    const out = join(cli.work, "out");
    await mkdir(out);
    const download = await runCli(["download", fileId, "--out", out], { env });
    expect(download.code, download.stderr).toBe(EXIT_INTEGRITY);
    expect(download.stderr).toMatch(/^umbra: error: integrity check failed \(TRUNCATED\).*BLOB_INCOMPLETE/);
    expect(download.stderr.trim().split("\n")).toHaveLength(1);
    expect(download.stderr).not.toContain("terminated");
    expect(await listFiles(out)).toEqual([]);

    const exported = join(cli.work, "export");
    const exportRun = await runCli(["export", exported], { env });
    expect(exportRun.code, exportRun.stderr).toBe(EXIT_INTEGRITY);
    expect(exportRun.stderr).toMatch(/^umbra: error: integrity check failed \(TRUNCATED\)/);
    expect(await listFiles(exported).catch(() => [])).toEqual([]);

    const backup = join(cli.work, "backup");
    const backupRun = await runCli(["backup", backup], { env });
    expect(backupRun.code, backupRun.stderr).toBe(EXIT_INTEGRITY);
    expect(backupRun.stderr).toMatch(/^umbra: error: integrity check failed \(TRUNCATED\)/);
    // Neither the content nor a partial file of it; record.json is written last, so it is absent too.
    expect(await listFiles(join(backup, "files", fileId))).toEqual([]);
  });

  it("downloads the file once the blob is whole again", async () => {
    const target = join(cli.work, "whole.bin");
    const download = await runCli(["download", fileId, "--out", target], { env });
    expect(download.code, download.stderr).toBe(0);
    expect((await readFile(target)).equals(await readFile(join(cli.work, "in", "cut.bin")))).toBe(true);
  });
});
