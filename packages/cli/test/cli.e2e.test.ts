import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { untilServerHolds, useCliServer } from "./cli-server.js";
import { largestFileSize, listFiles, runCli, startCli } from "./harness.js";

const PASSWORD = "correct horse battery staple";
const EMAIL = "alice@example.com";

const cli = useCliServer("e2e");
let env: Record<string, string>;
let phrase: string;

async function makeJpeg(path: string, shade: number, taken: string, gps = false): Promise<void> {
  const exif: Record<string, Record<string, string>> = {
    IFD0: { Make: "UmbraCam", Model: `Model ${shade}` },
    IFD2: { DateTimeOriginal: taken, LensModel: "Lens 35mm" },
  };
  if (gps) {
    exif.IFD3 = {
      GPSLatitudeRef: "N",
      GPSLatitude: "48/1 51/1 0/1",
      GPSLongitudeRef: "E",
      GPSLongitude: "2/1 21/1 0/1",
    };
  }
  await sharp({
    create: { width: 640 + shade, height: 480, channels: 3, background: { r: shade, g: 90, b: 200 - shade } },
  })
    .jpeg()
    .withExif(exif)
    .toFile(path);
}

function hasFfmpeg(): boolean {
  try {
    execFileSync("ffmpeg", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function same(a: string, b: string): Promise<boolean> {
  return (await readFile(a)).equals(await readFile(b));
}

const photos = () => join(cli.work, "photos");

describe("umbra CLI end to end against a real server", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    env = { UMBRA_SERVER: cli.server.url, UMBRA_CONFIG_DIR: join(cli.work, "config") };
    await mkdir(join(photos(), "2021 trip"), { recursive: true });
    await makeJpeg(join(photos(), "beach.jpg"), 10, "2021:07:14 10:11:12", true);
    await makeJpeg(join(photos(), "2021 trip", "museum.jpg"), 60, "2021:08:01 09:00:00");
    await makeJpeg(join(photos(), "2021 trip", "dinner.jpg"), 120, "2022:01:02 20:30:00");
    // Walked last (folders and files in name order), so it is the copy that is skipped.
    await mkdir(join(photos(), "zz copies"));
    await copyFile(join(photos(), "beach.jpg"), join(photos(), "zz copies", "beach copy.jpg"));
    await writeFile(join(photos(), "notes.txt"), "not a photo");
    if (hasFfmpeg()) {
      execFileSync("ffmpeg", [
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=1:size=160x120:rate=10",
        "-pix_fmt",
        "yuv420p",
        join(photos(), "clip.mp4"),
      ]);
    } else {
      await writeFile(join(photos(), "clip.mp4"), randomBytes(5000));
    }
  }, 180_000);

  it("signs up and prints the recovery phrase as JSON", async () => {
    const result = await runCli(["signup", "--email", EMAIL, "--password-stdin", "--json"], {
      env,
      input: `${PASSWORD}\n`,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    phrase = JSON.parse(result.stdout).recoveryPhrase;
    expect(phrase.split(" ")).toHaveLength(24);
    const config = await readFile(join(cli.work, "config", "config.json"), "utf8");
    expect(config).not.toContain(PASSWORD);
    expect(config).toContain("passwordWrappedMasterKey");
  });

  it("uploads a folder of media, skips the duplicate and the text file", async () => {
    const result = await runCli(["upload", photos(), "--password-stdin"], { env, input: `${PASSWORD}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/4 uploaded, 1 skipped as duplicates, 0 failed/);
    expect(result.stdout).toMatch(/skipped .*beach copy\.jpg: duplicate of f_/);
    expect(result.stdout).not.toContain("notes.txt");
  });

  it("lists files with EXIF dates and albums, as text and JSON", async () => {
    const text = await runCli(["ls"], { env: { ...env, UMBRA_PASSWORD: PASSWORD } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/2021-07-14 10:11:12 .* beach\.jpg\s+\[Library\]/);
    const json = await runCli(["ls", "--json"], { env: { ...env, UMBRA_PASSWORD: PASSWORD } });
    const files = JSON.parse(json.stdout) as {
      id: string;
      name: string;
      size: number;
      mime: string;
      takenAt: string | null;
      albums: string[];
      camera: { make: string } | null;
      gps: { lat: number } | null;
    }[];
    expect(files.map((f) => f.name).sort()).toEqual(["beach.jpg", "clip.mp4", "dinner.jpg", "museum.jpg"]);
    const beach = files.find((f) => f.name === "beach.jpg")!;
    expect(beach.takenAt).toBe("2021-07-14T10:11:12.000Z");
    expect(beach.mime).toBe("image/jpeg");
    expect(beach.size).toBe((await stat(join(photos(), "beach.jpg"))).size);
    expect(beach.albums).toEqual(["Library"]);
    expect(beach.camera?.make).toBe("UmbraCam");
    expect(beach.gps?.lat).toBeCloseTo(48.85, 2);
  });

  async function idOf(name: string): Promise<string> {
    const json = await runCli(["ls", "--json"], { env: { ...env, UMBRA_PASSWORD: PASSWORD } });
    return (JSON.parse(json.stdout) as { id: string; name: string }[]).find((f) => f.name === name)!.id;
  }

  it("downloads identical bytes", async () => {
    const id = await idOf("museum.jpg");
    const out = join(cli.work, "museum-download.jpg");
    const result = await runCli(["download", id, "--out", out], {
      env: { ...env, UMBRA_PASSWORD: PASSWORD },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(await same(out, join(photos(), "2021 trip", "museum.jpg"))).toBe(true);
  });

  it("refuses a wrong password with one line and a non-zero exit", async () => {
    const result = await runCli(["ls"], { env: { ...env, UMBRA_PASSWORD: "not the password" } });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/wrong/i);
    expect(result.stdout).toBe("");
  });

  it("exports originals under YYYY/MM with sidecars, and a re-run fetches nothing", async () => {
    const dir = join(cli.work, "export");
    const first = await runCli(["export", dir], { env: { ...env, UMBRA_PASSWORD: PASSWORD } });
    expect(first.code, first.stderr).toBe(0);
    const files = await listFiles(dir);
    expect(files).toContain("2021/07/beach.jpg");
    expect(files).toContain("2021/07/beach.jpg.json");
    expect(files).toContain("2021/08/museum.jpg");
    expect(files).toContain("2022/01/dinner.jpg");
    expect(await same(join(dir, "2022/01/dinner.jpg"), join(photos(), "2021 trip", "dinner.jpg"))).toBe(true);
    const sidecar = JSON.parse(await readFile(join(dir, "2021/07/beach.jpg.json"), "utf8"));
    expect(sidecar.metadata.camera.model).toBe("Model 10");
    const again = await runCli(["export", dir], { env: { ...env, UMBRA_PASSWORD: PASSWORD } });
    expect(again.stdout).toMatch(/0 exported, 4 already there/);
  });

  it("resumes an interrupted upload instead of starting over", async () => {
    const big = join(cli.work, "big", "big.bin");
    await mkdir(join(cli.work, "big"), { recursive: true });
    await writeFile(big, randomBytes(96 * 1024 * 1024));
    const uploadEnv = { ...env, UMBRA_PASSWORD: PASSWORD, UMBRA_UPLOAD_CHUNK_BYTES: String(1024 * 1024) };
    const run = startCli(["upload", "--all", big], { env: uploadEnv });
    // Kill the CLI (like a crash) once the server holds part of the upload.
    await untilServerHolds(cli.server, run, 4 * 1024 * 1024);
    run.child.kill("SIGKILL");
    const killed = await run.done;
    expect(killed.stdout).not.toMatch(/1 uploaded/);
    const partial = await largestFileSize(join(cli.server.dataDir, "uploads"));
    expect(partial).toBeGreaterThan(0);
    const second = await runCli(["upload", "--all", big], { env: uploadEnv });
    expect(second.code, second.stderr).toBe(0);
    const resumedAt = Number(/resuming .*big\.bin at byte (\d+)/.exec(second.stdout)?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(second.stdout).toMatch(/1 uploaded/);
    const out = join(cli.work, "big-download.bin");
    const download = await runCli(["download", await idOf("big.bin"), "--out", out], { env: uploadEnv });
    expect(download.code, download.stderr).toBe(0);
    expect(await same(out, big)).toBe(true);
    await rm(out);
  });

  it("backs up everything needed offline, incrementally", async () => {
    const dir = join(cli.work, "backup");
    const first = await runCli(["backup", dir], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/5 file\(s\) fetched, 0 unchanged/);
    const files = await listFiles(dir);
    expect(files).toContain("key-bundle.json");
    expect(files).toContain("umbra-backup.json");
    expect(files.filter((f) => f.endsWith("/content"))).toHaveLength(5);
    const again = await runCli(["backup", dir], { env });
    expect(again.stdout).toMatch(/0 file\(s\) fetched, 5 unchanged/);
  });

  it("refuses tampered ciphertext and leaves no output file", async () => {
    const id = await idOf("dinner.jpg");
    // Flip one byte in the middle of every stored content blob.
    const blobs = join(cli.server.dataDir, "blobs");
    for (const rel of await listFiles(blobs)) {
      if (!rel.endsWith(".content")) continue;
      const path = join(blobs, rel);
      const bytes = await readFile(path);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      await writeFile(path, bytes);
    }
    const outDir = join(cli.work, "tampered");
    await mkdir(outDir);
    const result = await runCli(["download", id, "--out", join(outDir, "dinner.jpg")], {
      env: { ...env, UMBRA_PASSWORD: PASSWORD },
    });
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/TAMPERED/);
    expect(await listFiles(outDir)).toEqual([]);
  });

  it("reports the network being down after retries", async () => {
    await cli.server.stop();
    const result = await runCli(["ls"], { env: { ...env, UMBRA_PASSWORD: PASSWORD } });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/network error: Cannot reach the server/);
  });

  it("restores the backup offline by recovery phrase and by password, with names and dates", async () => {
    for (const [flag, secret, dir] of [
      ["--recovery-phrase-stdin", phrase, "restored-phrase"],
      ["--password-stdin", PASSWORD, "restored-password"],
    ] as const) {
      const out = join(cli.work, dir);
      const result = await runCli(["restore-offline", join(cli.work, "backup"), "--out", out, flag], {
        env: { ...env, UMBRA_SERVER: "http://127.0.0.1:9" },
        input: `${secret}\n`,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(await same(join(out, "2021/07/beach.jpg"), join(photos(), "beach.jpg"))).toBe(true);
      expect(await same(join(out, "2021/08/museum.jpg"), join(photos(), "2021 trip", "museum.jpg"))).toBe(
        true,
      );
      expect(await same(join(out, "2022/01/dinner.jpg"), join(photos(), "2021 trip", "dinner.jpg"))).toBe(
        true,
      );
      expect((await stat(join(out, "2021/07/beach.jpg"))).mtime.toISOString()).toBe(
        "2021-07-14T10:11:12.000Z",
      );
      const restored = await listFiles(out);
      expect(restored.some((f) => f.endsWith("/clip.mp4"))).toBe(true);
      expect(restored.some((f) => f.endsWith("/big.bin"))).toBe(true);
    }
  });

  it("refuses a bad recovery phrase offline", async () => {
    const words = phrase.split(" ");
    [words[0], words[1]] = [words[1]!, words[0]!];
    const out = join(cli.work, "restored-bad");
    const result = await runCli(
      ["restore-offline", join(cli.work, "backup"), "--out", out, "--recovery-phrase-stdin"],
      {
        env,
        input: `${words.join(" ")}\n`,
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/recovery phrase/);
    expect(await listFiles(out).catch(() => [])).toEqual([]);
  });
});
