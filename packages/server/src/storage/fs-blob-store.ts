import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type BlobInfo, BlobNotFoundError, type BlobStore, type ByteRange } from "./blob-store.js";

const BLOB_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Blobs under root/ab/cd/<id>, where abcd are the first hex digits of SHA-256(id) (ids share prefixes, hashes
 * spread evenly). Writes go to root/tmp, are fsynced, then renamed into place.
 */
export class FsBlobStore implements BlobStore {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = path.join(root, "tmp");
  }

  async init(): Promise<void> {
    await fs.mkdir(this.tmpDir, { recursive: true });
    // Leftovers from a crash mid-write are never referenced by anything.
    for (const name of await fs.readdir(this.tmpDir))
      await fs.rm(path.join(this.tmpDir, name), { force: true });
  }

  pathOf(id: string): string {
    if (!BLOB_ID.test(id) || id.startsWith(".")) throw new Error(`invalid blob id`);
    const hash = createHash("sha256").update(id).digest("hex");
    return path.join(this.root, hash.slice(0, 2), hash.slice(2, 4), id);
  }

  private tempPath(): string {
    return path.join(this.tmpDir, randomBytes(12).toString("hex"));
  }

  async put(id: string, source: Readable | Uint8Array): Promise<number> {
    const target = this.pathOf(id);
    const temp = this.tempPath();
    try {
      if (source instanceof Uint8Array) {
        // Small blobs (thumbnails): write and fsync through one handle, no stream and no reopening.
        const handle = await fs.open(temp, "wx");
        try {
          await handle.writeFile(source);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await this.moveIntoPlace(temp, target);
        return source.length;
      }
      await pipeline(source, createWriteStream(temp, { flags: "wx" }));
      return await this.commit(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async putFile(id: string, filePath: string): Promise<number> {
    const target = this.pathOf(id);
    const temp = this.tempPath();
    try {
      await fs.rename(filePath, temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      return this.put(id, createReadStream(filePath));
    }
    return this.commit(temp, target);
  }

  private async commit(temp: string, target: string): Promise<number> {
    const handle = await fs.open(temp, "r+");
    let size: number;
    try {
      await handle.sync();
      size = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
    await this.moveIntoPlace(temp, target);
    return size;
  }

  /** Directories known to exist: each blob commit used to pay a recursive mkdir (several syscalls). */
  private readonly knownDirectories = new Set<string>();

  /** Renames a synced temp file to its final name and makes the rename durable. */
  private async moveIntoPlace(temp: string, target: string): Promise<void> {
    const dir = path.dirname(target);
    if (!this.knownDirectories.has(dir)) {
      await fs.mkdir(dir, { recursive: true });
      this.knownDirectories.add(dir);
    }
    try {
      await fs.rename(temp, target);
    } catch (error) {
      // The directory vanished under us (removed by hand or by a test): recreate it once.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.knownDirectories.delete(dir);
      await fs.mkdir(dir, { recursive: true });
      await fs.rename(temp, target);
    }
    await syncDirectory(dir);
  }

  async get(id: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(id);
    const handle = await fs.open(file, "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw new BlobNotFoundError(id);
      throw error;
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async stat(id: string): Promise<BlobInfo | null> {
    try {
      const stats = await fs.stat(this.pathOf(id));
      return { id, size: stats.size, modifiedAt: stats.mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async exists(id: string): Promise<boolean> {
    return (await this.stat(id)) !== null;
  }

  async delete(id: string): Promise<void> {
    await fs.rm(this.pathOf(id), { force: true });
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const first of await readdirOrEmpty(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(first)) continue;
      for (const second of await readdirOrEmpty(path.join(this.root, first))) {
        const dir = path.join(this.root, first, second);
        for (const id of await readdirOrEmpty(dir)) {
          const stats = await fs.stat(path.join(dir, id)).catch(() => null);
          if (stats?.isFile()) yield { id, size: stats.size, modifiedAt: stats.mtime };
        }
      }
    }
  }

  async ping(): Promise<void> {
    await fs.access(this.tmpDir, fs.constants.W_OK);
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
