import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { apiErrorFrom, guardedBody, type HttpTransport, MemoryStore, pullChanges } from "@umbra/client";
import { TruncatedError } from "@umbra/crypto";
import { KeyBundle } from "@umbra/protocol";
import { type GlobalOptions, sessionClient } from "../context.js";
import { writeStreamAtomically } from "../output-files.js";

/**
 * Offline backup layout (format 1), documented in docs/SPEC.md §16:
 *   umbra-backup.json            {format, version, userId, email, serverUrl, updatedAt}
 *   key-bundle.json              the key bundle (KDF params, password- and recovery-wrapped master key)
 *   albums/<albumId>.json        AlbumRecord (encrypted name, album key wrapped by the master key)
 *   files/<fileId>/record.json   FileRecord (album key-wrapped file keys, encrypted metadata); written last
 *   files/<fileId>/content       the content ciphertext exactly as the server stores it
 *   files/<fileId>/grid|preview  the thumbnail ciphertexts
 * Nothing in it is plaintext; restoring needs the password or the recovery phrase.
 */
export const BACKUP_FORMAT = "umbra-backup";

async function writeJson(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}

async function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

async function fetchTo(http: HttpTransport, path: string, target: string): Promise<number> {
  const response = await http.send(path);
  // The client's typed errors: a blob the server found cut short, or a body cut mid-way, is TRUNCATED (exit 6).
  if (!response.ok || !response.body) throw await apiErrorFrom(response);
  return writeStreamAtomically(target, guardedBody(response.body, path));
}

/** Copies every ciphertext and wrapped key needed to decrypt without the server; re-runs fetch only what changed. */
export async function backupCommand(global: GlobalOptions, dir: string): Promise<void> {
  const { client, config } = await sessionClient(global);
  const http = client.http;
  const bundle = await http.json("/api/account/keys", KeyBundle);
  const state = await pullChanges(http, new MemoryStore());
  await mkdir(join(dir, "albums"), { recursive: true });
  await mkdir(join(dir, "files"), { recursive: true });
  await writeJson(join(dir, "key-bundle.json"), bundle);
  for (const album of Object.values(state.albums))
    await writeJson(join(dir, "albums", `${album.id}.json`), album);
  let fetched = 0;
  let unchanged = 0;
  for (const record of Object.values(state.files)) {
    const fileDir = join(dir, "files", record.id);
    await mkdir(fileDir, { recursive: true });
    const contentPath = join(fileDir, "content");
    // Content is immutable once committed: the same size means the same blob.
    if ((await sizeOf(contentPath)) === record.contentSize) unchanged++;
    else {
      const written = await fetchTo(http, `/api/files/${record.id}/content`, contentPath);
      if (written !== record.contentSize) {
        await rm(contentPath, { force: true });
        throw new TruncatedError(`The content of ${record.id} arrived incomplete`);
      }
      fetched++;
    }
    for (const variant of ["grid", "preview"] as const) {
      if ((await sizeOf(join(fileDir, variant))) !== record.thumbnails[variant]) {
        await fetchTo(http, `/api/files/${record.id}/thumbnails/${variant}`, join(fileDir, variant));
      }
    }
    await writeJson(join(fileDir, "record.json"), record);
  }
  // Mirror deletions: what the server no longer has leaves the backup too.
  for (const id of await readdir(join(dir, "files"))) {
    if (!state.files[id]) await rm(join(dir, "files", id), { recursive: true, force: true });
  }
  for (const name of await readdir(join(dir, "albums"))) {
    if (!state.albums[name.replace(/\.json$/, "")]) await rm(join(dir, "albums", name), { force: true });
  }
  await writeJson(join(dir, "umbra-backup.json"), {
    format: BACKUP_FORMAT,
    version: 1,
    userId: bundle.userId,
    email: config.email,
    serverUrl: http.serverUrl,
    updatedAt: new Date().toISOString(),
    files: Object.keys(state.files).length,
    albums: Object.keys(state.albums).length,
  });
  process.stdout.write(`backup: ${fetched} file(s) fetched, ${unchanged} unchanged, in ${dir}\n`);
}
