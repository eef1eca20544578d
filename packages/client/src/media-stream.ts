import { deriveStreamKey, parseStreamHeader, STREAM_HEADER_LENGTH } from "@umbra/crypto/stream";
import { InvalidResponseError } from "./errors.js";
import { apiErrorFrom, type HttpTransport } from "./http.js";
import { contentAssociatedData } from "./keys.js";
import type { Library } from "./library.js";

/**
 * What a player (the web app's video Service Worker) needs to stream one file's content by HTTP Range: the
 * content stream's subkey as a non-extractable CryptoKey (never the file key), its header, where the ciphertext
 * is and the lengths. Everything here is safe to hand to another realm by postMessage.
 */
export interface MediaStreamSource {
  fileId: string;
  /** Absolute URL of the ciphertext (`…/content`). */
  contentUrl: string;
  /** Request headers for it (the session's bearer token; none for a public link). */
  headers: Record<string, string>;
  /** AES-256-GCM subkey of the content stream (SPEC §6.2), non-extractable, decrypt only. */
  key: CryptoKey;
  /** The stream's 47-byte header (segment size, nonce prefix). */
  header: Uint8Array;
  /** Size of the ciphertext blob as recorded (the record's contentSize). */
  ciphertextLength: number;
  /** The true plaintext size, from the authenticated metadata (the padding is never served). */
  plaintextLength: number;
  mime: string;
}

interface ContentLocation {
  http: HttpTransport;
  path: string;
  anonymous: boolean;
}

/**
 * Fetches the stream header (one Range request) and derives the subkey from the file key. The header is not
 * trusted: every field of it is bound into the subkey, so a changed one fails every segment (TAMPERED).
 */
export async function openMediaStream(
  where: ContentLocation,
  fileKey: Uint8Array,
  file: { id: string; contentSize: number; size: number; mime: string },
): Promise<MediaStreamSource> {
  const response = await where.http.send(where.path, {
    anonymous: where.anonymous,
    headers: { range: `bytes=0-${STREAM_HEADER_LENGTH - 1}` },
  });
  if (!response.ok) throw await apiErrorFrom(response);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 206 || bytes.length !== STREAM_HEADER_LENGTH)
    throw new InvalidResponseError(`The server ignored the Range request for ${file.id}'s header`);
  const header = parseStreamHeader(bytes);
  const key = await deriveStreamKey(fileKey, header, contentAssociatedData(file.id));
  return {
    fileId: file.id,
    contentUrl: where.http.url(where.path),
    headers: where.anonymous ? {} : where.http.authHeaders(),
    key,
    header: header.bytes,
    ciphertextLength: file.contentSize,
    plaintextLength: file.size,
    mime: file.mime,
  };
}

/** One of the user's own files (library). */
export async function libraryMediaStream(
  http: HttpTransport,
  library: Library,
  fileId: string,
): Promise<MediaStreamSource> {
  const entry = await library.file(fileId);
  const fileKey = await library.fileKey(entry.record);
  try {
    return await openMediaStream(
      { http, path: `/api/files/${encodeURIComponent(fileId)}/content`, anonymous: false },
      fileKey,
      {
        id: fileId,
        contentSize: entry.record.contentSize,
        size: entry.metadata.size,
        mime: entry.metadata.mime,
      },
    );
  } finally {
    fileKey.fill(0);
  }
}
