import { type KeyValueStore, MemoryStore } from "@umbra/client";

/**
 * Kept across reloads: contacts' pinned public keys and which account each pinned email belongs to (or
 * trust-on-first-use would start over on every visit, and a server could answer for a known email with another
 * account); what this device has seen and must never see go back (`trust:`: album key versions, the library
 * checkpoint's counter, this account's own public signing key, so a server cannot roll them back or claim the
 * account has no sharing keys across a reload); and the resume state of large uploads with their tus URLs (so a
 * file picked again after a reload continues from the server's offset); and the ids of the albums the user hid
 * (`view:`, so a reload shows nothing of them while the checkpoint loads). None is a secret: public keys, emails,
 * user ids and counters; file ids, sizes, keyed digests, stream headers and file keys wrapped under album keys
 * the page holds only in memory; upload URLs.
 */
const PERSISTENT_PREFIXES = ["contact-pin:", "contact-email:", "trust:", "pending:", "tus::", "view:"];

/**
 * The SDK's local state for one user: in memory (a tab keeps nothing behind), except the entries above, which go
 * to localStorage under the user's id.
 */
export class WebLocalStore implements KeyValueStore {
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
    return this.storage !== undefined && PERSISTENT_PREFIXES.some((prefix) => key.startsWith(prefix));
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
