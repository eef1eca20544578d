import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { UmbraClient } from "@umbra/client";
import { beforeAll, describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { runCli } from "./harness.js";

const run = promisify(execFile);
const EMAIL = "renditions@example.com";
const PASSWORD = "renditions password";

/** A short clip made here: HEVC (libx265) or H.264 (libx264) with AAC sound, in MP4. */
async function clip(path: string, codec: "libx265" | "libx264"): Promise<void> {
  await run("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440"],
    ...["-t", "2", "-c:v", codec, "-pix_fmt", "yuv420p", "-c:a", "aac"],
    ...(codec === "libx265" ? ["-tag:v", "hvc1", "-x265-params", "log-level=error"] : []),
    path,
  ]);
}

async function probe(path: string): Promise<{ codec_type: string; codec_name: string; width?: number }[]> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-show_streams", "-of", "json", path]);
  return JSON.parse(stdout).streams;
}

describe("umbra renditions", { timeout: 300_000 }, () => {
  const cli = useCliServer("renditions");
  let env: Record<string, string>;
  let ids: Record<string, string>;

  beforeAll(async () => {
    env = cli.env(PASSWORD);
    const videos = join(cli.work, "videos");
    await mkdir(videos);
    await clip(join(videos, "hevc.mp4"), "libx265");
    await clip(join(videos, "h264.mp4"), "libx264");
    expect((await probe(join(videos, "hevc.mp4")))[0]!.codec_name).toBe("hevc");
    const signup = await runCli(["signup", "--email", EMAIL], { env });
    expect(signup.code, signup.stderr).toBe(0);
    const up = await runCli(["upload", videos], { env });
    expect(up.code, up.stderr).toBe(0);
    const listed = JSON.parse((await runCli(["ls", "--json"], { env })).stdout) as {
      id: string;
      name: string;
    }[];
    ids = Object.fromEntries(listed.map((f) => [f.name, f.id]));
    expect(Object.keys(ids).sort()).toEqual(["h264.mp4", "hevc.mp4"]);
  }, 240_000);

  it("--dry-run names the HEVC video and changes nothing", async () => {
    const dry = await runCli(["renditions", "--dry-run"], { env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${ids["hevc.mp4"]}  hevc.mp4 (hevc)  browsers cannot all play it`);
    expect(dry.stdout).toContain(`${ids["h264.mp4"]}  h264.mp4 (h264)  plays in browsers as it is`);
    expect(dry.stderr).toContain("2 videos: 1 to convert, 1 play in browsers as they are");
    const json = await runCli(["renditions", "--dry-run", "--json"], { env });
    const results = json.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).result);
    expect(results.sort()).toEqual(["playable", "would-convert"]);
  });

  it("converts the HEVC video on this device to an H.264/AAC MP4 stored encrypted beside the original", async () => {
    const made = await runCli(["renditions"], { env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(
      new RegExp(`${ids["hevc.mp4"]}  hevc\\.mp4 \\(hevc\\)  converted to H\\.264/AAC \\(640x360, `),
    );
    expect(made.stderr).toContain("1 converted");

    // Another device reads it back through the SDK: it decrypts, and ffprobe sees H.264 + AAC.
    const client = new UmbraClient({ serverUrl: cli.server.url });
    await client.login(EMAIL, PASSWORD);
    await client.library.sync();
    const hevcId = ids["hevc.mp4"]!;
    const info = await client.renditions.info(hevcId);
    expect(info).toMatchObject({ mime: "video/mp4", width: 640, height: 360 });
    expect(info!.codecs).toMatch(/^avc1\.[0-9A-F]{6},mp4a\.40\.2$/);
    const { stream } = await client.renditions.download(hevcId);
    const bytes = Buffer.from(await new Response(stream).arrayBuffer());
    expect(bytes.length).toBe(info!.size);
    const path = join(cli.work, "rendition.mp4");
    await writeFile(path, bytes);
    const streams = await probe(path);
    expect(streams.map((s) => [s.codec_type, s.codec_name])).toEqual([
      ["video", "h264"],
      ["audio", "aac"],
    ]);
    // Faststart: the index (moov) comes before the media data, so a player starts from the first bytes.
    expect(bytes.indexOf("moov")).toBeLessThan(bytes.indexOf("mdat"));
    // The original is untouched, and the metadata now records the codecs that were probed.
    const original = await client.download(hevcId);
    expect(Buffer.from(await new Response(original.stream).arrayBuffer())).toEqual(
      await readFile(join(cli.work, "videos", "hevc.mp4")),
    );
    expect(original.entry.metadata.extra).toMatchObject({ videoCodec: "hevc", audioCodec: "aac" });
    expect(await client.renditions.info(ids["h264.mp4"]!)).toBeUndefined();
  });

  it("a second run has nothing to do", async () => {
    const again = await runCli(["renditions"], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${ids["hevc.mp4"]}  hevc.mp4  already has a playable copy`);
    expect(again.stderr).toContain(
      "0 converted, 1 play in browsers as they are, 1 already have a playable copy",
    );
  });
});
