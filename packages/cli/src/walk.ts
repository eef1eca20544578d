import { readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { isMediaMime, mimeFromName } from "@umbra/client";

export interface LocalFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  mime: string;
}

/** Files under the given paths, folders recursively, in a stable order; media only unless `all`. */
export async function walkPaths(paths: string[], options: { all: boolean }): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const seen = new Set<string>();
  async function visit(path: string): Promise<void> {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = (await readdir(path)).sort();
      for (const entry of entries) {
        // Hidden files are OS and tool droppings (.DS_Store, .thumbnails), not photos.
        if (entry.startsWith(".")) continue;
        await visit(join(path, entry));
      }
      return;
    }
    if (!info.isFile()) return;
    const full = resolve(path);
    if (seen.has(full)) return;
    seen.add(full);
    const mime = mimeFromName(path);
    if (!options.all && !isMediaMime(mime)) return;
    out.push({ path: full, name: basename(path), size: info.size, mtimeMs: info.mtimeMs, mime });
  }
  for (const path of paths) await visit(path);
  return out;
}
