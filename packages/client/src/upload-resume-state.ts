import { toBase64Url } from "@umbra/crypto";
import { z } from "zod";
import { apiErrorFrom, type HttpTransport } from "./http.js";
import type { KeyValueStore } from "./store.js";
import { KeyValueUrlStorage } from "./tus-url-storage.js";

/** What survives a crash so that a re-run resumes the same upload: same file id, key and stream header. */
export const PendingUpload = z.object({
  fileId: z.string(),
  albumId: z.string(),
  /** Empty while unknown: then only `prefixBytes` of plaintext were sent (see upload-before-digest.ts). */
  digest: z.string(),
  prefixBytes: z.number().optional(),
  /** The keyed digest of the first prefixBytes. */
  prefixDigest: z.string().optional(),
  size: z.number(),
  segmentSize: z.number(),
  /** The file key wrapped by the album key, never in the clear. */
  wrappedFileKey: z.string(),
  /** The content stream's header (salt, nonce prefix): re-encryption must produce the same bytes. */
  streamHeader: z.string(),
});
export type PendingUpload = z.infer<typeof PendingUpload>;

const PENDING_PREFIX = "pending:";

/** The tus fingerprint of a file's content upload: the same for every attempt at the same file id. */
export function tusFingerprint(fileId: string): string {
  return `umbra-${fileId}`;
}

/**
 * The local resume state of large uploads, keyed by a hash of the source's local key (its path, size and
 * modification time), plus the tus upload URLs recorded under each file's fingerprint.
 */
export class UploadResumeState {
  /** tus-js-client's record of upload URLs, kept in the same store. */
  readonly urlStorage: KeyValueUrlStorage;

  private constructor(private readonly store: KeyValueStore) {
    this.urlStorage = new KeyValueUrlStorage(store);
  }

  /** The resume state kept in a user's local store. */
  static of(store: KeyValueStore): UploadResumeState {
    return new UploadResumeState(store);
  }

  async keyOf(localKey: string): Promise<string> {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(localKey));
    return PENDING_PREFIX + toBase64Url(new Uint8Array(digest));
  }

  async load(key: string): Promise<PendingUpload | undefined> {
    const raw = await this.store.get(key);
    if (!raw) return undefined;
    const parsed = PendingUpload.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  save(key: string, pending: PendingUpload): Promise<void> {
    return this.store.set(key, JSON.stringify(pending));
  }

  /** Drops the state once the file is committed; a no-op for files that kept none. */
  done(key: string): Promise<void> {
    return this.store.delete(key);
  }

  /** Drops the resume state of a file that no longer needs uploading (the server expires its partial upload). */
  async forget(key: string): Promise<void> {
    const pending = await this.load(key);
    if (!pending) return;
    for (const previous of await this.urlStorage.findUploadsByFingerprint(tusFingerprint(pending.fileId))) {
      await this.urlStorage.removeUpload(previous.urlStorageKey);
    }
    await this.store.delete(key);
  }

  /**
   * After the user cancels: deletes the partial upload on the server (tus termination) and forgets its resume
   * state, so nothing is left waiting for the 24-hour expiry. Resolves to the number of uploads deleted.
   */
  async discard(localKey: string, http: HttpTransport): Promise<number> {
    const key = await this.keyOf(localKey);
    const pending = await this.load(key);
    if (!pending) return 0;
    let deleted = 0;
    for (const previous of await this.urlStorage.findUploadsByFingerprint(tusFingerprint(pending.fileId))) {
      if (!previous.uploadUrl) continue;
      const url = new URL(previous.uploadUrl, http.serverUrl).href;
      const path = url.startsWith(http.serverUrl) ? url.slice(http.serverUrl.length) : new URL(url).pathname;
      const response = await http.send(path, { method: "DELETE", headers: { "tus-resumable": "1.0.0" } });
      if (response.ok) deleted++;
      else if (response.status !== 404 && response.status !== 410) throw await apiErrorFrom(response);
    }
    await this.forget(key);
    return deleted;
  }
}
