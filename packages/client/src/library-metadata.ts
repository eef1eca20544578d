import type { FileRecord } from "@umbra/protocol";
import { InvalidResponseError, UmbraClientError } from "./errors.js";
import { FileMetadata } from "./metadata.js";
import { decryptRecordMetadata, type MetadataJob, type RecordDecryptor } from "./record-decrypt.js";
import { isRecordFault, type RejectedRecords } from "./rejected-records.js";
import type { SyncState } from "./sync-cache.js";

/** What `openMany` made of a batch of records. */
export interface MetadataBatch {
  /** Each opened record's metadata, by file id (cached for `open` too). */
  opened: Map<string, FileMetadata>;
  /** Records none of whose albums the state knows yet (a sync still filling): ask again once it is done. */
  waiting: FileRecord[];
  /** Records that failed verification, each reported through `rejected` (RECORD_REJECTED). */
  rejected: number;
}

type AlbumEntryOfFile = FileRecord["albums"][number];

/**
 * The album entry to open a file's key through: among the albums the state knows, one wrapped under its album's
 * current key first (an album not synced yet cannot open it).
 */
export function openingEntry(record: FileRecord, state: SyncState): AlbumEntryOfFile | undefined {
  const known = record.albums.filter((a) => state.albums[a.albumId]);
  return known.find((a) => (a.keyVersion ?? 1) === (state.albums[a.albumId]?.keyVersion ?? 1)) ?? known[0];
}

/** Decrypted metadata checked against the SDK's schema: another shape is the server's fault. */
function parseFileMetadata(fileId: string, value: unknown): FileMetadata {
  const parsed = FileMetadata.safeParse(value);
  if (!parsed.success) throw new InvalidResponseError(`The metadata of ${fileId} has an unexpected shape`);
  return parsed.data;
}

/** What the metadata needs of the library: its state, its checked album keys, where refusals are reported. */
export interface MetadataSource {
  current(): Promise<SyncState>;
  albumKeyAt(albumId: string, version: number): Promise<Uint8Array>;
  readonly rejected: RejectedRecords;
  /** The checkpoint digest of a record's metadata, made where the batch was opened (so it is not hashed twice). */
  digested?(fileId: string, encryptedMetadata: string, digest: string): void;
}

/**
 * The library's decrypted metadata, by record (kept while its ciphertext is unchanged), and the opening of more:
 * one record in this thread, or many at once through a `RecordDecryptor`.
 */
export class LibraryMetadata {
  private readonly cache = new Map<string, { encrypted: string; metadata: FileMetadata }>();

  constructor(
    private readonly source: MetadataSource,
    private readonly decryptor: RecordDecryptor,
  ) {}

  /** Metadata decrypted elsewhere for this exact record; kept only if it passes the schema. */
  remember(record: FileRecord, metadata: FileMetadata): void {
    const parsed = FileMetadata.safeParse(metadata);
    if (parsed.success) this.keep(record, parsed.data);
  }

  private keep(record: FileRecord, metadata: FileMetadata): void {
    this.cache.set(record.id, { encrypted: record.encryptedMetadata, metadata });
  }

  cached(record: FileRecord): FileMetadata | undefined {
    const hit = this.cache.get(record.id);
    return hit && hit.encrypted === record.encryptedMetadata ? hit.metadata : undefined;
  }

  /** One record, in this thread; failures throw with their stable code (TAMPERED, INVALID_RESPONSE…). */
  async open(record: FileRecord): Promise<FileMetadata> {
    const cached = this.cached(record);
    if (cached) return cached;
    const entry = openingEntry(record, await this.source.current()) ?? record.albums[0];
    if (!entry) throw new UmbraClientError("INVALID_RESPONSE", `File ${record.id} is in no album`);
    const albumKey = await this.source.albumKeyAt(entry.albumId, entry.keyVersion ?? 1);
    const metadata = parseFileMetadata(
      record.id,
      await decryptRecordMetadata(albumKey, {
        fileId: record.id,
        albumId: entry.albumId,
        wrappedFileKey: entry.wrappedFileKey,
        encryptedMetadata: record.encryptedMetadata,
      }),
    );
    this.keep(record, metadata);
    return metadata;
  }

  /**
   * Many records in one call through the decryptor (the web app's worker pool): records opened before come from
   * the cache, a record whose album key is refused or whose metadata fails is reported and left out, a record none
   * of whose albums is known yet waits. Album keys are fetched here, on the caller's thread.
   */
  async openMany(records: readonly FileRecord[], decryptor = this.decryptor): Promise<MetadataBatch> {
    const state = await this.source.current();
    const batch: MetadataBatch = { opened: new Map(), waiting: [], rejected: 0 };
    const reject = (id: string, reason: string) => {
      batch.rejected++;
      this.source.rejected.report(id, "file", reason);
    };
    const albumKeys = new Map<string, Uint8Array>();
    /** Album keys that were refused (tampered, rolled back): the files they open are rejected, not the batch. */
    const refusedKeys = new Map<string, string>();
    const jobs: MetadataJob[] = [];
    const sources: FileRecord[] = [];
    for (const record of records) {
      const cached = this.cached(record);
      if (cached) {
        batch.opened.set(record.id, cached);
        continue;
      }
      const entry = openingEntry(record, state);
      if (!entry) {
        batch.waiting.push(record);
        continue;
      }
      const version = entry.keyVersion ?? 1;
      const keyRef = `${entry.albumId}:${version}`;
      if (!albumKeys.has(keyRef) && !refusedKeys.has(keyRef)) {
        try {
          albumKeys.set(keyRef, await this.source.albumKeyAt(entry.albumId, version));
        } catch (error) {
          if (!isRecordFault(error)) throw error;
          refusedKeys.set(keyRef, `its album's key was refused: ${(error as Error).message}`);
        }
      }
      const refused = refusedKeys.get(keyRef);
      if (refused !== undefined) {
        reject(record.id, refused);
        continue;
      }
      jobs.push({
        fileId: record.id,
        albumId: entry.albumId,
        keyRef,
        wrappedFileKey: entry.wrappedFileKey,
        encryptedMetadata: record.encryptedMetadata,
      });
      sources.push(record);
    }
    const outcomes = jobs.length > 0 ? await decryptor.metadata(albumKeys, jobs) : [];
    outcomes.forEach((outcome, i) => {
      const record = sources[i]!;
      try {
        if (!outcome.ok) throw new Error(outcome.message);
        const metadata = parseFileMetadata(record.id, outcome.metadata);
        this.keep(record, metadata);
        batch.opened.set(record.id, metadata);
        if (outcome.digest !== undefined)
          this.source.digested?.(record.id, record.encryptedMetadata, outcome.digest);
      } catch (error) {
        reject(record.id, (error as Error).message);
      }
    });
    return batch;
  }
}
