/**
 * Video playback benchmark (run: `npm run bench:video`): the web app's viewer playing an encrypted video in
 * Debian Chromium against a plain <video src> of the same bytes from the same server, time to first frame and
 * seeks to 25/50/90 %, unthrottled and through a 40 Mbit/s, 40 ms link; prints medians and ratios.
 * Workspace packages are TypeScript source reached through the `source` export condition, so this entry
 * re-runs itself with that condition.
 * Env: UMBRA_BENCH_VIDEO_RUNS (default 5), UMBRA_BENCH_VIDEO_CASES (faststart,moov-end,large),
 * UMBRA_BENCH_VIDEO_NETWORKS (local,throttled), UMBRA_BENCH_VIDEO_SECONDS (length of the 8 Mbit/s clips,
 * default 60), UMBRA_BENCH_VIDEO_LARGE_MIB (the large file's size, default 1024; 0 leaves it out),
 * UMBRA_BENCH_VIDEO_SEGMENT_KIB (force a segment size; default the client's choice for video),
 * UMBRA_BENCH_VIDEO_MBPS / UMBRA_BENCH_VIDEO_RTT_MS (the throttled link, default 40 / 40),
 * UMBRA_BENCH_VIDEO_TIMEOUT_S (bound per playback, default 120), UMBRA_BENCH_VIDEO_CACHE (fixture folder,
 * default <tmpdir>/umbra-bench-video-fixtures), UMBRA_CHROMIUM, UMBRA_FFMPEG.
 * A short run: UMBRA_BENCH_VIDEO_RUNS=3 UMBRA_BENCH_VIDEO_CASES=faststart UMBRA_BENCH_VIDEO_SECONDS=20.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

if (process.env.UMBRA_VIDEO_BENCH_CHILD === "1") {
  const { runVideoBench } = await import("./video-bench-run.js");
  await runVideoBench();
} else {
  const result = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", fileURLToPath(import.meta.url)],
    { stdio: "inherit", env: { ...process.env, UMBRA_VIDEO_BENCH_CHILD: "1" } },
  );
  process.exit(result.status ?? 1);
}
