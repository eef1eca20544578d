// `npm start`: builds the web app when it is missing or older than its sources, then starts the server serving it.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const webDist = path.join(root, "packages/web/dist");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function mtimeOf(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

if (!process.env.UMBRA_WEB_DIR) {
  const sources = ["web", "client", "crypto", "protocol"].map((p) => path.join(root, "packages", p));
  if (mtimeOf(path.join(webDist, "index.html")) < Math.max(...sources.map(newestMtime))) {
    console.log("Building the web app…");
    const build = spawnSync("npm", ["run", "build", "-w", "@umbra/web"], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  process.env.UMBRA_WEB_DIR = webDist;
}
await import("../packages/server/scripts/start.mjs");
