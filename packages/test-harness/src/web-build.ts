import { execFileSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./repo.js";

/** Where `npm run build -w @umbra/web` puts the app (and where a server started without `webDir` looks). */
export const webDist = path.join(repoRoot, "packages/web/dist");

/**
 * Builds the web app with Vite (resolving workspace packages through the `source` condition), into
 * packages/web/dist or, for a test file that runs beside others, into its own `outDir`.
 */
export function buildWeb(outDir?: string): void {
  const where = outDir ? ["--outDir", outDir, "--emptyOutDir"] : [];
  execFileSync(path.join(repoRoot, "node_modules/.bin/vite"), ["build", "--logLevel", "warn", ...where], {
    cwd: path.join(repoRoot, "packages/web"),
    stdio: "inherit",
  });
}
