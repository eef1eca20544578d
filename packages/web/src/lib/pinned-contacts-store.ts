import { type KeyValueStore, MemoryStore } from "@umbra/client";

const PIN_PREFIX = "contact-pin:";

/**
 * The SDK's local state for one user: in memory (a tab keeps nothing behind), except contacts' pinned public
 * keys, which must outlive the tab or trust-on-first-use would start over on every visit. Pins are public keys
 * and emails, never secrets; they go to localStorage under the user's id.
 */
export class PinnedContactsStore implements KeyValueStore {
  private readonly memory = new MemoryStore();

  constructor(
    private readonly userId: string,
    private readonly storage: Storage | undefined = typeof localStorage === "undefined"
      ? undefined
      : localStorage,
  ) {}

  private storageKey(key: string): string {
    return `umbra:${this.userId}:${key}`;
  }

  private persistent(key: string): boolean {
    return key.startsWith(PIN_PREFIX) && this.storage !== undefined;
  }

  async get(key: string): Promise<string | undefined> {
    if (this.persistent(key)) return this.storage!.getItem(this.storageKey(key)) ?? undefined;
    return this.memory.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    if (this.persistent(key)) this.storage!.setItem(this.storageKey(key), value);
    else await this.memory.set(key, value);
  }

  async delete(key: string): Promise<void> {
    if (this.persistent(key)) this.storage!.removeItem(this.storageKey(key));
    else await this.memory.delete(key);
  }

  async keys(prefix: string): Promise<string[]> {
    const own = await this.memory.keys(prefix);
    if (!this.storage) return own;
    const base = this.storageKey("");
    const pinned: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const full = this.storage.key(i);
      if (full?.startsWith(base) && full.slice(base.length).startsWith(prefix))
        pinned.push(full.slice(base.length));
    }
    return [...own, ...pinned];
  }
}
