import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";

/** Files the app shell leaves out of its offline copy: the worker itself (the browser keeps it) and source maps. */
const SKIP = /(^|\/)(media-sw\.js|app-shell\.json)$|\.map$/;

/**
 * Writes `app-shell.json` next to index.html: every file of the build (bundle and public folder) and a version
 * that changes when any of them does, so the Service Worker can keep an offline copy of the app.
 */
export function appShellManifest(publicDir: string): Plugin {
  return {
    name: "umbra-app-shell",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = new Set<string>(["/"]);
      for (const name of Object.keys(bundle)) if (!SKIP.test(name)) files.add(`/${name}`);
      for (const name of listFiles(publicDir)) if (!SKIP.test(name)) files.add(`/${name}`);
      const sorted = [...files].sort();
      const hash = createHash("sha256");
      for (const name of sorted) {
        const chunk = bundle[name.slice(1)];
        hash.update(name);
        if (chunk) hash.update(chunk.type === "chunk" ? chunk.code : chunk.source);
        else if (name !== "/") hash.update(String(statSync(path.join(publicDir, name.slice(1))).mtimeMs));
      }
      this.emitFile({
        type: "asset",
        fileName: "app-shell.json",
        source: `${JSON.stringify({ version: hash.digest("hex").slice(0, 16), files: sorted })}\n`,
      });
    },
  };
}

function listFiles(dir: string, prefix = ""): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}
