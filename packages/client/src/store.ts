/**
 * Small persistent key-value storage the SDK keeps local state in (resumable uploads, the duplicate
 * index, the sync cache). The CLI backs it by a JSON file, a browser by IndexedDB or localStorage.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  keys(prefix: string): Promise<string[]>;
}

/** In-memory store: for tests and for sessions that must leave nothing behind. */
export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, string>();
  async get(key: string) {
    return this.map.get(key);
  }
  async set(key: string, value: string) {
    this.map.set(key, value);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
  async keys(prefix: string) {
    return [...this.map.keys()].filter((k) => k.startsWith(prefix));
  }
}
