import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { AlbumEntry, FileEntry, Library, UmbraClient } from "@umbra/client";
import { CliError } from "../cli-error.js";
import { type GlobalOptions, unlockedClient } from "../context.js";
import { fileDate, safeFileName, writeStreamAtomically } from "../output-files.js";
import { formatBytes } from "../progress-render.js";

type KeyedOptions = GlobalOptions & { passwordStdin?: boolean };

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function albumNames(library: Library): Promise<Map<string, AlbumEntry>> {
  return new Map((await library.albums()).map((a) => [a.id, a]));
}

/** One of the user's own albums by name (exact, else ignoring case; the first of several) or by id. */
export async function findOwnAlbum(library: Library, name: string): Promise<AlbumEntry | undefined> {
  return (await library.findAlbum(name)) ?? (await library.albums()).find((a) => a.id === name);
}

export async function resolveAlbum(library: Library, name: string): Promise<AlbumEntry> {
  const album = await findOwnAlbum(library, name);
  if (!album) throw new CliError("NOT_FOUND", `No album named "${name}" (see \`umbra albums\`)`);
  return album;
}

function fileJson(entry: FileEntry, albums: Map<string, AlbumEntry>) {
  const m = entry.metadata;
  return {
    id: entry.id,
    name: m.name,
    size: m.size,
    mime: m.mime,
    takenAt: m.takenAt ?? null,
    albums: entry.albumIds.map((id) => albums.get(id)?.name ?? id),
    albumIds: entry.albumIds,
    width: m.width ?? null,
    height: m.height ?? null,
    camera: m.camera ?? null,
    lens: m.lens ?? null,
    gps: m.gps ?? null,
    createdAt: entry.record.createdAt,
    trashedAt: entry.record.trashedAt,
  };
}

export async function lsCommand(
  global: KeyedOptions,
  options: { album?: string; json?: boolean },
): Promise<void> {
  const { client } = await unlockedClient(global);
  const library = client.library;
  await library.sync();
  const albums = await albumNames(library);
  const own = options.album
    ? (await library.albums()).find((a) => a.name === options.album || a.id === options.album)
    : undefined;
  // Albums others shared with us are listed too (only records their uploaders signed).
  const sharedFiles = own ? [] : await sharedFileRows(client, options.album);
  if (options.album && !own && sharedFiles.length === 0) await resolveAlbum(library, options.album);
  const files = options.album && !own ? [] : await library.files({ albumId: own?.id, trashed: false });
  const rows = [...files.map((f) => fileJson(f, albums)), ...sharedFiles];
  if (options.json) {
    out(JSON.stringify(rows, null, 2));
    return;
  }
  for (const f of rows) {
    const taken = f.takenAt ? f.takenAt.replace("T", " ").slice(0, 19) : "-".padEnd(19);
    const from = "ownerEmail" in f ? ` (shared by ${f.ownerEmail})` : "";
    out(`${f.id}  ${taken}  ${formatBytes(f.size).padStart(10)}  ${f.name}  [${f.albums.join(", ")}]${from}`);
  }
}

async function sharedFileRows(client: UmbraClient, albumName?: string) {
  const { albums } = await client.sharing.sharedWithMe();
  const rows = [];
  for (const album of albums) {
    if (albumName && album.name !== albumName && album.id !== albumName) continue;
    const { files, rejected } = await client.sharedFiles.list(album.id);
    for (const r of rejected)
      process.stderr.write(`umbra: warning: hid ${r.id} in "${album.name}": ${r.reason}\n`);
    for (const f of files) {
      const m = f.metadata;
      rows.push({
        id: f.id,
        name: m.name,
        size: m.size,
        mime: m.mime,
        takenAt: m.takenAt ?? null,
        albums: [album.name],
        albumIds: [album.id],
        width: m.width ?? null,
        height: m.height ?? null,
        camera: m.camera ?? null,
        lens: m.lens ?? null,
        gps: m.gps ?? null,
        createdAt: f.record.createdAt,
        trashedAt: null,
        shared: true,
        ownerEmail: album.ownerEmail,
        uploaderId: f.uploaderId,
      });
    }
  }
  return rows;
}

/** A file of an album shared with us, when the id is not in our own library. */
async function sharedDownload(client: UmbraClient, id: string) {
  const { albums } = await client.sharing.sharedWithMe();
  for (const album of albums) {
    const { files } = await client.sharedFiles.list(album.id);
    if (files.some((f) => f.id === id)) {
      const { entry, stream } = await client.sharedFiles.download(album.id, id);
      return { metadata: entry.metadata, createdAt: entry.record.createdAt, stream };
    }
  }
  throw new CliError("NOT_FOUND", `No file ${id} in your library or in albums shared with you`);
}

export async function downloadCommand(
  global: KeyedOptions,
  id: string,
  options: { out: string },
): Promise<void> {
  const { client } = await unlockedClient(global);
  const state = await client.library.sync();
  const file = state.files[id]
    ? await client.download(id).then(({ entry, stream }) => ({
        metadata: entry.metadata,
        createdAt: entry.record.createdAt,
        stream,
      }))
    : await sharedDownload(client, id);
  let target = options.out;
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) target = join(target, safeFileName(file.metadata.name));
  const written = await writeStreamAtomically(target, file.stream, {
    mtime: fileDate(file.metadata, file.createdAt),
  });
  out(`${target} (${formatBytes(written)})`);
}

export async function albumsCommand(
  global: KeyedOptions,
  options: { create?: string; rename?: string; to?: string; delete?: string; json?: boolean },
): Promise<void> {
  const { client } = await unlockedClient(global);
  const library = client.library;
  await library.sync();
  if (options.create) {
    const album = await library.createAlbum(options.create);
    out(`Created album "${album.name}" (${album.id}).`);
    return;
  }
  if (options.rename) {
    if (!options.to) throw new CliError("INVALID_INPUT", "--rename NAME needs --to NEW_NAME");
    const album = await resolveAlbum(library, options.rename);
    await library.renameAlbum(album.id, options.to);
    out(`Renamed album "${album.name}" to "${options.to}".`);
    return;
  }
  if (options.delete) {
    const album = await resolveAlbum(library, options.delete);
    if (album.kind === "library") throw new CliError("INVALID_INPUT", "The library album cannot be deleted");
    await library.deleteAlbum(album.id);
    out(`Deleted album "${album.name}"; files that were only in it are in the trash.`);
    return;
  }
  const files = await library.files({ trashed: false });
  const rows = (await library.albums()).map((a) => ({
    id: a.id,
    name: a.name,
    kind: a.kind,
    files: files.filter((f) => f.albumIds.includes(a.id)).length,
  }));
  if (options.json) {
    out(JSON.stringify(rows, null, 2));
    return;
  }
  for (const r of rows)
    out(`${r.id}  ${r.name}${r.kind === "library" ? " (library)" : ""}  ${r.files} file(s)`);
}

export async function mvCommand(
  global: KeyedOptions,
  ids: string[],
  options: { to: string; from?: string; copy?: boolean; create?: boolean },
): Promise<void> {
  const { client } = await unlockedClient(global);
  const library = client.library;
  await library.sync();
  let target = await library.findAlbum(options.to);
  if (!target) {
    if (!options.create)
      throw new CliError("NOT_FOUND", `No album named "${options.to}" (add --create to create it)`);
    target = await library.createAlbum(options.to);
  }
  const from = options.from ? await resolveAlbum(library, options.from) : undefined;
  for (const id of ids) {
    const entry = await library.file(id);
    if (options.copy) {
      if (!entry.albumIds.includes(target.id)) await library.addToAlbum(id, target.id);
      out(`${entry.metadata.name} → also in "${target.name}"`);
      continue;
    }
    const source = from?.id ?? entry.albumIds.find((a) => a !== target.id);
    if (source) await library.moveFile(id, source, target.id);
    else if (!entry.albumIds.includes(target.id)) await library.addToAlbum(id, target.id);
    out(`${entry.metadata.name} → "${target.name}"`);
  }
}

export async function renameCommand(global: KeyedOptions, id: string, name: string): Promise<void> {
  const { client } = await unlockedClient(global);
  await client.library.sync();
  await client.library.renameFile(id, name);
  out(`Renamed ${id} to "${name}".`);
}

export async function rmCommand(global: KeyedOptions, ids: string[]): Promise<void> {
  const { client } = await unlockedClient(global);
  await client.library.sync();
  for (const id of ids) {
    await client.library.trash(id);
    out(`Moved ${id} to the trash.`);
  }
}

export async function trashCommand(
  global: KeyedOptions,
  options: { restore?: string; empty?: boolean; json?: boolean },
): Promise<void> {
  const { client } = await unlockedClient(global);
  const library = client.library;
  await library.sync();
  if (options.restore) {
    await library.restore(options.restore);
    out(`Restored ${options.restore}.`);
    return;
  }
  if (options.empty) {
    out(`Deleted ${await library.emptyTrash()} file(s) permanently.`);
    return;
  }
  const albums = await albumNames(library);
  const files = await library.files({ trashed: true });
  if (options.json) {
    out(
      JSON.stringify(
        files.map((f) => fileJson(f, albums)),
        null,
        2,
      ),
    );
    return;
  }
  for (const f of files) out(`${f.id}  trashed ${f.record.trashedAt}  ${f.metadata.name}`);
}
