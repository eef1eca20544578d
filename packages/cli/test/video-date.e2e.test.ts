import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { runCli } from "./harness.js";

const run = promisify(execFile);
const PASSWORD = "video date password";

/** A one-second clip made here by ffmpeg, with `options` before the output path. */
async function clip(path: string, options: string[]): Promise<void> {
  await run("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    ...["-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=10"],
    ...options,
    path,
  ]);
}

describe("umbra upload dates a video by its container", { timeout: 240_000 }, () => {
  const cli = useCliServer("video-date");

  it("takes mvhd creation_time (moov at the end) and Apple's creationdate with its offset; else none", async () => {
    const env = cli.env(PASSWORD);
    const videos = join(cli.work, "videos");
    await mkdir(videos);
    await clip(join(videos, "beach.mp4"), ["-metadata", "creation_time=2021-07-04T10:30:00Z"]);
    await clip(join(videos, "phone.mov"), [
      ...["-metadata", "com.apple.quicktime.creationdate=2021-07-04T12:30:00+0200"],
      ...["-movflags", "use_metadata_tags"],
    ]);
    await clip(join(videos, "undated.mp4"), []);
    const signup = await runCli(["signup", "--email", "video-date@example.com"], { env });
    expect(signup.code, signup.stderr).toBe(0);
    const up = await runCli(["upload", videos], { env });
    expect(up.code, up.stderr).toBe(0);

    const ls = await runCli(["ls", "--json"], { env });
    expect(ls.code, ls.stderr).toBe(0);
    const listed = JSON.parse(ls.stdout) as { name: string; takenAt: string | null; createdAt: string }[];
    const byName = Object.fromEntries(listed.map((f) => [f.name, f]));
    expect(byName["beach.mp4"]?.takenAt).toBe("2021-07-04T10:30:00.000Z");
    expect(byName["phone.mov"]?.takenAt).toBe("2021-07-04T12:30:00+02:00");
    // No date in the container: as before, no takenAt (the upload time dates it).
    expect(byName["undated.mp4"]?.takenAt).toBeNull();

    const text = await runCli(["ls"], { env });
    expect(text.stdout).toMatch(/2021-07-04 10:30:00 .*beach\.mp4/);
  });
});
