import { padmeLength, TamperedError, TruncatedError, utf8Encode } from "@umbra/crypto";
import { FILE_ID_PATTERN, METADATA_MIME_MAX_LENGTH } from "@umbra/crypto/formats";
import {
  ciphertextLength,
  createEncryptStream,
  generateStreamHeader,
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
} from "@umbra/crypto/stream";
import { FileRecord as FileRecordSchema, RenditionResponse } from "@umbra/protocol";
import { z } from "zod";
import { checkpointChanges, metadataDigest } from "./checkpoint-body.js";
import { VIDEO_SEGMENT_SIZE } from "./content-segment-size.js";
import { InvalidResponseError, UmbraClientError } from "./errors.js";
import { apiErrorFrom, type HttpTransport } from "./http.js";
import { encryptFileMetadata } from "./keys.js";
import type { Library } from "./library.js";
import type { FileMetadata } from "./metadata.js";
import { MemoryStore } from "./store.js";
import { uploadCiphertext } from "./tus-content-upload.js";
import { KeyValueUrlStorage } from "./tus-url-storage.js";

/** Label of a rendition's associated data (SPEC §6.10): distinct from the content's, so neither opens as the other. */
export const RENDITION_LABEL = "umbra/v1/file-rendition";

/** Associated data of a file's rendition stream: UTF-8(label) ‖ 0x00 ‖ UTF-8(fileId), like the content's (§6.2). */
export function renditionAssociatedData(fileId: string): Uint8Array {
  if (!FILE_ID_PATTERN.test(fileId)) throw new UmbraClientError("INVALID_INPUT", "Not a file id");
  return utf8Encode(`${RENDITION_LABEL}\u0000${fileId}`);
}

const isSegmentSize = (n: number) => n >= MIN_SEGMENT_SIZE && n <= MAX_SEGMENT_SIZE && (n & (n - 1)) === 0;

/** What the file's encrypted metadata says of its rendition (`extra.rendition`): the server never sees it. */
export const RenditionInfo = z.object({
  mime: z.string().min(1).max(METADATA_MIME_MAX_LENGTH),
  /** Plaintext bytes (the stored stream is padded to padmeLength of it). */
  size: z.number().int().nonnegative(),
  segmentSize: z.number().int().refine(isSegmentSize, "a power of two from 16 KiB to 8 MiB"),
  /** RFC 6381 codecs string, e.g. `avc1.640028,mp4a.40.2`. */
  codecs: z.string().max(255).optional(),
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
});
export type RenditionInfo = z.infer<typeof RenditionInfo>;

/** The rendition the metadata describes, or undefined; a malformed description is the writer's fault. */
export function renditionInfoOf(fileId: string, metadata: FileMetadata): RenditionInfo | undefined {
  const value = metadata.extra?.rendition;
  if (value === undefined) return undefined;
  const parsed = RenditionInfo.safeParse(value);
  if (!parsed.success) throw new InvalidResponseError(`The rendition described for ${fileId} is malformed`);
  return parsed.data;
}

/** Length of the stored rendition blob: padded like content (SPEC §6.5). */
export function renditionCiphertextLength(info: Pick<RenditionInfo, "size" | "segmentSize">): number {
  return ciphertextLength(padmeLength(info.size), info.segmentSize);
}

/**
 * A server that answers with another length than the metadata promises is refused before a byte is used:
 * shorter is TRUNCATED (as content, SPEC §12), longer is TAMPERED (no honest writer makes it).
 */
export function checkRenditionLength(fileId: string, served: number, expected: number): void {
  if (served < expected)
    throw new TruncatedError(`The rendition of ${fileId} is ${served} bytes, its metadata says ${expected}`);
  if (served > expected)
    throw new TamperedError(`The rendition of ${fileId} is ${served} bytes, its metadata says ${expected}`);
}

/** A playable copy to store: made by the caller (ffmpeg in the CLI, WebCodecs in a browser). */
export interface RenditionSource {
  size: number;
  mime: string;
  codecs?: string;
  width?: number;
  height?: number;
  /** Opens the plaintext from its first byte (it may be opened again if the upload restarts). */
  open(): ReadableStream<Uint8Array>;
}

export interface AddRenditionOptions {
  segmentSize?: number;
  signal?: AbortSignal;
  /** Ciphertext bytes sent so far. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

/**
 * Encrypts `source` under the file's key with the rendition's associated data, uploads it (tus), stores it as the
 * file's rendition (replacing an older one) and records it in the file's metadata. Only the file's uploader can.
 */
export async function addRendition(
  http: HttpTransport,
  library: Library,
  fileId: string,
  source: RenditionSource,
  options: AddRenditionOptions = {},
): Promise<RenditionInfo> {
  const entry = await library.file(fileId);
  const info = RenditionInfo.parse({
    mime: source.mime,
    size: source.size,
    segmentSize: options.segmentSize ?? VIDEO_SEGMENT_SIZE,
    ...(source.codecs ? { codecs: source.codecs } : {}),
    ...(source.width !== undefined ? { width: source.width } : {}),
    ...(source.height !== undefined ? { height: source.height } : {}),
  });
  const fileKey = await library.fileKey(entry.record);
  try {
    const total = renditionCiphertextLength(info);
    // One header for every (re-)opening: tus may read the ciphertext again from the start.
    const header = generateStreamHeader(info.segmentSize);
    const uploadId = await uploadCiphertext({
      http,
      urlStorage: new KeyValueUrlStorage(new MemoryStore()),
      fingerprint: `rendition:${fileId}`,
      resumable: false,
      size: total,
      openCiphertext: () =>
        source.open().pipeThrough(
          createEncryptStream(fileKey, {
            associatedData: renditionAssociatedData(fileId),
            segmentSize: info.segmentSize,
            padToLength: padmeLength(info.size),
            header,
          }),
        ),
      signal: options.signal,
      onProgress: (sent) => options.onProgress?.(sent, total),
      onResumed: () => {},
    });
    const stored = await http.json(`/api/files/${encodeURIComponent(fileId)}/rendition`, RenditionResponse, {
      method: "PUT",
      body: { uploadId },
    });
    if (stored.size !== total)
      throw new InvalidResponseError(`The server stored ${stored.size} bytes of a ${total}-byte rendition`);
    await writeMetadata(http, library, fileId, fileKey, { ...entry.metadata.extra, rendition: info });
    return info;
  } finally {
    fileKey.fill(0);
  }
}

/** Deletes the file's rendition on the server and from its metadata (a rendition already gone is no error). */
export async function removeRendition(http: HttpTransport, library: Library, fileId: string): Promise<void> {
  const entry = await library.file(fileId);
  const response = await http.send(`/api/files/${encodeURIComponent(fileId)}/rendition`, {
    method: "DELETE",
  });
  if (!response.ok && response.status !== 404) throw await apiErrorFrom(response);
  await response.body?.cancel().catch(() => {});
  if (entry.metadata.extra?.rendition === undefined) return;
  const { rendition: _gone, ...extra } = entry.metadata.extra;
  const fileKey = await library.fileKey(entry.record);
  try {
    await writeMetadata(http, library, fileId, fileKey, extra);
  } finally {
    fileKey.fill(0);
  }
}

/**
 * Adds facts about the file to its metadata's `extra` (e.g. `videoCodec` from a probe), keeping everything else;
 * nothing is written when they are already there.
 */
export async function annotateFile(
  http: HttpTransport,
  library: Library,
  fileId: string,
  facts: Record<string, string>,
): Promise<void> {
  const entry = await library.file(fileId);
  const extra = entry.metadata.extra ?? {};
  if (Object.entries(facts).every(([name, value]) => extra[name] === value)) return;
  const fileKey = await library.fileKey(entry.record);
  try {
    await writeMetadata(http, library, fileId, fileKey, { ...extra, ...facts });
  } finally {
    fileKey.fill(0);
  }
}

/** The metadata update as the library does it for a rename: PATCH, vouch in the checkpoint, remember. */
async function writeMetadata(
  http: HttpTransport,
  library: Library,
  fileId: string,
  fileKey: Uint8Array,
  extra: NonNullable<FileMetadata["extra"]>,
): Promise<void> {
  const { metadata } = await library.file(fileId);
  const next: FileMetadata = { ...metadata, extra };
  const encryptedMetadata = await encryptFileMetadata(fileKey, fileId, next);
  const updated = await http.json(`/api/files/${encodeURIComponent(fileId)}`, FileRecordSchema, {
    method: "PATCH",
    body: { encryptedMetadata },
  });
  library.checkpoint.record(
    checkpointChanges.metadataChanged(fileId, await metadataDigest(encryptedMetadata)),
  );
  await library.checkpoint.save();
  library.rememberMetadata(updated, next);
  await library.remember(updated);
}
