// Runs dist/main.js, rebuilding first when it is missing or older than any source it bundles.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const output = path.join(root, "dist/main.js");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sources = [path.join(root, "src"), path.join(root, "../protocol/src")];
const builtAt = (() => {
  try {
    return statSync(output).mtimeMs;
  } catch {
    return 0;
  }
})();
if (builtAt < Math.max(...sources.map(newestMtime))) {
  await import("./build.mjs");
}
await import(pathToFileURL(output).href);
