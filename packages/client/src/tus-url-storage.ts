import type { KeyValueStore } from "./store.js";

/** tus-js-client's PreviousUpload, as it stores and finds it. */
export interface PreviousUpload {
  size: number | null;
  metadata: { [key: string]: string };
  creationTime: string;
  urlStorageKey: string;
  uploadUrl: string | null;
  parallelUploadUrls: string[] | null;
}

const PREFIX = "tus::";

/** tus-js-client's UrlStorage over a KeyValueStore, so an interrupted upload is found again after a restart. */
export class KeyValueUrlStorage {
  constructor(private readonly store: KeyValueStore) {}

  async findAllUploads(): Promise<PreviousUpload[]> {
    return this.find(PREFIX);
  }

  async findUploadsByFingerprint(fingerprint: string): Promise<PreviousUpload[]> {
    return this.find(`${PREFIX}${fingerprint}::`);
  }

  private async find(prefix: string): Promise<PreviousUpload[]> {
    const out: PreviousUpload[] = [];
    for (const key of await this.store.keys(prefix)) {
      const raw = await this.store.get(key);
      if (!raw) continue;
      out.push({ ...(JSON.parse(raw) as PreviousUpload), urlStorageKey: key });
    }
    return out;
  }

  async removeUpload(urlStorageKey: string): Promise<void> {
    await this.store.delete(urlStorageKey);
  }

  async addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
    const key = `${PREFIX}${fingerprint}::${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    await this.store.set(key, JSON.stringify(upload));
    return key;
  }
}
