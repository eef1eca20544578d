import type { Readable } from "node:stream";

/** Blob ids are short ASCII names chosen by the server (e.g. "f_…​.content"); never user input verbatim. */
export interface BlobInfo {
  id: string;
  size: number;
  modifiedAt: Date;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * Where ciphertext blobs live. Every method is safe to retry; `put` is atomic (a reader sees the whole
 * blob or nothing), so an S3 implementation maps put→PutObject, get→GetObject with Range, list→ListObjectsV2.
 */
export interface BlobStore {
  put(id: string, source: Readable | Uint8Array): Promise<number>;
  /** Moves a local file in when the store is on the same disk; stores that cannot, stream it. */
  putFile(id: string, filePath: string): Promise<number>;
  get(id: string, range?: ByteRange): Promise<Readable>;
  stat(id: string): Promise<BlobInfo | null>;
  exists(id: string): Promise<boolean>;
  delete(id: string): Promise<void>;
  list(): AsyncIterable<BlobInfo>;
  /** Cheap reachability probe for /api/health. */
  ping(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  readonly code = "BLOB_NOT_FOUND";
  constructor(id: string) {
    super(`blob ${id} not found`);
  }
}
