/**
 * Web app benchmark (run: `npx tsx packages/web/bench/web.bench.ts`). Workspace packages are TypeScript
 * source reached through the `source` export condition, so this entry re-runs itself with that condition.
 * Env: UMBRA_BENCH_ITEMS (library size, default 10000), UMBRA_BENCH_UPLOAD_MB (default 200),
 * UMBRA_BENCH_SCROLL_MS (time per screen while scrolling, default 250), UMBRA_CHROMIUM.
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
