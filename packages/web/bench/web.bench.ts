/**
 * Web app benchmark (run: `npx tsx packages/web/bench/web.bench.ts`). Workspace packages are TypeScript
 * source reached through the `source` export condition, so this entry re-runs itself with that condition.
 * Env: UMBRA_BENCH_ITEMS (library size, default 10000), UMBRA_BENCH_UPLOAD_MB (default 200),
 * UMBRA_BENCH_VIDEO_MIB (the large video uploaded against a plain fetch of its bytes, default 256),
 * UMBRA_BENCH_SCROLL_MS (time per screen while scrolling, default 250), UMBRA_BENCH_FLING_PX_S and
 * UMBRA_BENCH_FLING_SECONDS (the steady scroll, default 4000 px/s for 10 s), UMBRA_CHROMIUM,
 * UMBRA_BENCH_CPU_PROF (a directory for CPU profiles of the page's main thread while the library loads and
 * during the upload, and a Chrome trace of the steady scroll).
 * Seeding: UMBRA_BENCH_SEED_CACHE (keep the seeded data dir there; a stopped seeding resumes),
 * UMBRA_BENCH_SEED_PROCS (client processes, default 1), UMBRA_BENCH_SEED_JOBS (uploads each, default 16),
 * UMBRA_BENCH_SEED_ONLY=1 (seed the cache and stop). TMPDIR=/dev/shm keeps each run's copy in memory.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

if (process.env.UMBRA_WEB_BENCH_CHILD === "1") {
  const { runWebBench } = await import("./web-bench-run.js");
  await runWebBench();
} else {
  const result = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", fileURLToPath(import.meta.url)],
    { stdio: "inherit", env: { ...process.env, UMBRA_WEB_BENCH_CHILD: "1" } },
  );
  process.exit(result.status ?? 1);
}
