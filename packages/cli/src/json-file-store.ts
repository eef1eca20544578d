import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { KeyValueStore } from "@umbra/client";

/**
 * A KeyValueStore in one JSON file. Writes go to a temp file renamed over the old one, so a crash
 * leaves either the old or the new state, never half of one.
 */
export class JsonFileStore implements KeyValueStore {
  private data: Record<string, string> | undefined;
  private loading: Promise<Record<string, string>> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(readonly path: string) {}

  /** Loads once: concurrent first calls share one read, so no caller works on a stale copy. */
  private load(): Promise<Record<string, string>> {
    this.loading ??= this.read();
    return this.loading;
  }

  private async read(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.path, "utf8")) as unknown;
      this.data = parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.data = {};
    }
    return this.data;
  }

  /**
   * Changes made while a write is still waiting to start join that write (it snapshots when it starts), so a burst
   * of sets costs one rewrite of the file, not one each; every caller still resolves after its change is on disk.
   */
  private persist(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.writing.then(async () => {
      this.queued = undefined;
      const snapshot = JSON.stringify(this.data ?? {});
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, snapshot, { mode: 0o600 });
      await rename(tmp, this.path);
    });
    this.queued = next;
    // A failed write fails its callers; the next change tries again.
    this.writing = next.catch(() => undefined);
    return next;
  }

  async get(key: string) {
    return (await this.load())[key];
  }
  async set(key: string, value: string) {
    (await this.load())[key] = value;
    await this.persist();
  }
  async delete(key: string) {
    const data = await this.load();
    if (!(key in data)) return;
    delete data[key];
    await this.persist();
  }
  async keys(prefix: string) {
    return Object.keys(await this.load()).filter((k) => k.startsWith(prefix));
  }
}
