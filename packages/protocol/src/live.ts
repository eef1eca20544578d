import { z } from "zod";
import { EncryptedMetadata, THUMBNAIL_CHARS, WrappedKey } from "./files.js";
import { AlbumId, base64Url, FileId } from "./ids.js";

// Live uploads (docs/PROTOCOL.md, "Live uploads"): a recording's ciphertext is appended while it is recorded.

/** The request header naming the length the client believes the server holds (an append lands there). */
export const LIVE_OFFSET_HEADER = "umbra-offset";
/** On content answers of a live file: its current length in bytes. Absent once the file is finished. */
export const LIVE_LENGTH_HEADER = "umbra-live-length";
/** The largest append body: a few segments of the largest segment size; clients send one or a few segments. */
export const MAX_LIVE_APPEND_BYTES = 32 * 1024 * 1024;

const Digest = base64Url(43, 43);
const Signature = base64Url(86, 86);
const Thumbnails = z.object({ grid: base64Url(THUMBNAIL_CHARS), preview: base64Url(THUMBNAIL_CHARS) });

export const StartLiveBody = z.object({
  id: FileId,
  /** Where the recording is placed: one of the caller's albums, or a shared album the caller contributes to. */
  albumId: AlbumId,
  wrappedFileKey: WrappedKey,
  /** The album key generation wrapping the file key (shared albums; the current one). */
  keyVersion: z.number().int().min(1).optional(),
  /** Shared albums: the uploader's placement signature over the live digest (SPEC §17.4, §6.10). */
  contentDigest: Digest.optional(),
  signature: Signature.optional(),
  /**
   * Required when `albumId` is not the caller's own album: one of the caller's own albums (the library) and the
   * file key wrapped for it, so the uploader's devices hold the file like any other.
   */
  home: z.object({ albumId: AlbumId, wrappedFileKey: WrappedKey }).optional(),
  encryptedMetadata: EncryptedMetadata,
  thumbnails: Thumbnails.optional(),
});
export type StartLiveBody = z.infer<typeof StartLiveBody>;

export const LiveAppendHeaders = z.object({
  [LIVE_OFFSET_HEADER]: z.string().regex(/^\d{1,16}$/, "expected the current length in bytes"),
});

export const LiveAppendResponse = z.object({ length: z.number().int().min(0) });
export type LiveAppendResponse = z.infer<typeof LiveAppendResponse>;

export const FinishLiveBody = z.object({
  /** Must equal the length appended: the server refuses to finish anything else (OFFSET_MISMATCH). */
  contentSize: z.number().int().min(0),
  encryptedMetadata: EncryptedMetadata,
  thumbnails: Thumbnails,
  /** Shared albums: the placement re-signed over the real ciphertext digest; replaces the live signature. */
  contentDigest: Digest.optional(),
  signature: Signature.optional(),
});
export type FinishLiveBody = z.infer<typeof FinishLiveBody>;

export const LiveFileSummary = z.object({
  id: FileId,
  length: z.number().int().min(0),
  createdAt: z.string(),
  /** The last append (or the start, before any): how long the recording has been silent. */
  lastAppendAt: z.string(),
});
export type LiveFileSummary = z.infer<typeof LiveFileSummary>;

export const LiveFilesResponse = z.object({ files: z.array(LiveFileSummary) });
export type LiveFilesResponse = z.infer<typeof LiveFilesResponse>;
