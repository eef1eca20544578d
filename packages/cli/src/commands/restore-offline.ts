import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  contentAssociatedData,
  decryptFileMetadata,
  unlockMasterKeyWithPassword,
  unlockMasterKeyWithRecovery,
  unwrapAlbumKeyFor,
  unwrapFileKeyFor,
  validateKeyBundle,
} from "@umbra/client";
import { createDecryptStream } from "@umbra/crypto/stream";
import { AlbumRecord, FileRecord, KeyBundle } from "@umbra/protocol";
import { CliError } from "../cli-error.js";
import { datedDir, fileDate, safeFileName, uniquePath, writeStreamAtomically } from "../output-files.js";
import { readPassword, stdinLine } from "../secrets.js";
import { BACKUP_FORMAT } from "./backup.js";

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new CliError("INVALID_INPUT", `Cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Decrypts an `umbra backup` directory with no server and no network. */
export async function restoreOfflineCommand(
  dir: string,
  options: { out: string; recoveryPhraseStdin?: boolean; passwordStdin?: boolean },
): Promise<void> {
  if (Boolean(options.recoveryPhraseStdin) === Boolean(options.passwordStdin)) {
    throw new CliError("INVALID_INPUT", "Pass exactly one of --recovery-phrase-stdin and --password-stdin");
  }
  const manifest = (await readJson(join(dir, "umbra-backup.json"))) as { format?: string; version?: number };
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1) {
    throw new CliError("INVALID_INPUT", `${dir} is not an Umbra backup (format 1)`);
  }
  const bundle = KeyBundle.parse(await readJson(join(dir, "key-bundle.json")));
  validateKeyBundle(bundle, bundle.userId);
  const masterKey = options.recoveryPhraseStdin
    ? await unlockMasterKeyWithRecovery(
        bundle.userId,
        bundle.recoveryWrappedMasterKey,
        await stdinLine("the recovery phrase"),
      )
    : await unlockMasterKeyWithPassword(bundle, await readPassword({ passwordStdin: true }));

  const albumKeys = new Map<string, Uint8Array>();
  for (const name of await readdir(join(dir, "albums"))) {
    if (!name.endsWith(".json")) continue;
    const album = AlbumRecord.parse(await readJson(join(dir, "albums", name)));
    albumKeys.set(
      album.id,
      await unwrapAlbumKeyFor(
        masterKey,
        bundle.userId,
        album.id,
        album.wrappedAlbumKey,
        album.keyVersion ?? 1,
      ),
    );
  }
  const reserved = new Set<string>();
  let restored = 0;
  let skipped = 0;
  for (const id of (await readdir(join(dir, "files"))).sort()) {
    const recordPath = join(dir, "files", id, "record.json");
    // A file without record.json was interrupted mid-backup: it is incomplete by construction.
    const raw = await readFile(recordPath, "utf8").catch(() => undefined);
    if (raw === undefined) continue;
    const record = FileRecord.parse(JSON.parse(raw));
    if (record.trashedAt !== null) {
      skipped++;
      continue;
    }
    const entry = record.albums.find((a) => albumKeys.has(a.albumId));
    if (!entry) throw new CliError("TAMPERED", `No album key in the backup opens file ${record.id}`);
    const fileKey = await unwrapFileKeyFor(
      albumKeys.get(entry.albumId)!,
      entry.albumId,
      record.id,
      entry.wrappedFileKey,
    );
    const metadata = await decryptFileMetadata(fileKey, record.id, record.encryptedMetadata);
    const date = fileDate(metadata, record.createdAt);
    const target = await uniquePath(datedDir(options.out, date), safeFileName(metadata.name), reserved);
    const ciphertext = Readable.toWeb(
      createReadStream(join(dir, "files", id, "content"), { highWaterMark: 1024 * 1024 }),
    ) as ReadableStream<Uint8Array>;
    const plaintext = ciphertext.pipeThrough(
      createDecryptStream(fileKey, {
        associatedData: contentAssociatedData(record.id),
        plaintextLength: metadata.size,
      }),
    );
    await writeStreamAtomically(target, plaintext, { mtime: date });
    restored++;
    process.stdout.write(`restored ${target}\n`);
  }
  masterKey.fill(0);
  process.stdout.write(
    `${restored} file(s) restored to ${options.out}${skipped ? `, ${skipped} trashed skipped` : ""}\n`,
  );
}
