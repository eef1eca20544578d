import { access, readFile, rename, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { type GlobalOptions, unlockedClient } from "../context.js";
import { datedDir, fileDate, safeFileName, uniquePath, writeStreamAtomically } from "../output-files.js";

interface ExportManifest {
  version: 1;
  /** File id → path of the exported original, relative to the export directory. */
  files: Record<string, string>;
}

const MANIFEST = ".umbra-export.json";

async function readManifest(dir: string): Promise<ExportManifest> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, MANIFEST), "utf8")) as ExportManifest;
    if (parsed.version === 1 && parsed.files && typeof parsed.files === "object") return parsed;
  } catch {
    // Missing or unreadable: start over (existing files are kept; collisions get new names).
  }
  return { version: 1, files: {} };
}

async function writeManifest(dir: string, manifest: ExportManifest): Promise<void> {
  const tmp = join(dir, `${MANIFEST}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(manifest, null, 2));
  await rename(tmp, join(dir, MANIFEST));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Every original, decrypted, under DIR/YYYY/MM/ with a JSON sidecar; a re-run fetches only new files. */
export async function exportCommand(
  global: GlobalOptions & { passwordStdin?: boolean },
  dir: string,
): Promise<void> {
  const { client } = await unlockedClient(global);
  const library = client.library;
  await library.sync();
  const albums = new Map((await library.albums()).map((a) => [a.id, a.name]));
  const manifest = await readManifest(dir);
  const reserved = new Set<string>();
  let fetched = 0;
  let kept = 0;
  for (const entry of await library.files({ trashed: false })) {
    const previous = manifest.files[entry.id];
    if (previous && (await exists(join(dir, previous)))) {
      kept++;
      continue;
    }
    const date = fileDate(entry.metadata, entry.record.createdAt);
    const target = await uniquePath(datedDir(dir, date), safeFileName(entry.metadata.name), reserved);
    const { stream } = await client.download(entry.id);
    await writeStreamAtomically(target, stream, { mtime: date });
    const sidecar = {
      id: entry.id,
      albums: entry.albumIds.map((id) => albums.get(id) ?? id),
      createdAt: entry.record.createdAt,
      metadata: entry.metadata,
    };
    await writeFile(`${target}.json`, `${JSON.stringify(sidecar, null, 2)}\n`);
    manifest.files[entry.id] = relative(dir, target);
    await writeManifest(dir, manifest);
    fetched++;
    process.stdout.write(`exported ${relative(dir, target)}\n`);
  }
  process.stdout.write(`${fetched} exported, ${kept} already there\n`);
}
