import {
  createDecryptStream,
  deriveStreamKey,
  parseStreamHeader,
  SegmentReader,
  STREAM_HEADER_LENGTH,
} from "@umbra/crypto/stream";
import { guardedBody } from "./download.js";
import { InvalidResponseError, UmbraClientError } from "./errors.js";
import { apiErrorFrom, type HttpTransport } from "./http.js";
import type { MediaStreamSource } from "./media-stream.js";
import type { FileMetadata } from "./metadata.js";
import {
  checkRenditionLength,
  type RenditionInfo,
  renditionAssociatedData,
  renditionCiphertextLength,
  renditionInfoOf,
} from "./rendition.js";

/** Where a file's rendition is served: `/api/files/:id/rendition` or a public link's variant of it. */
export interface RenditionLocation {
  http: HttpTransport;
  path: string;
  anonymous: boolean;
}

/** The total a 206 answer names (`bytes a-b/total`); a server that gives none is not answering the Range. */
function rangeTotal(response: Response, fileId: string): number {
  const match = /\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
  if (response.status !== 206 || !match)
    throw new InvalidResponseError(`The server ignored the Range request for ${fileId}'s rendition`);
  return Number(match[1]);
}

async function fetchRange(where: RenditionLocation, fileId: string, expected: number, a: number, b: number) {
  const response = await where.http.send(where.path, {
    anonymous: where.anonymous,
    headers: { range: `bytes=${a}-${b}` },
  });
  if (!response.ok) throw await apiErrorFrom(response);
  try {
    checkRenditionLength(fileId, rangeTotal(response, fileId), expected);
  } catch (error) {
    await response.body?.cancel().catch(() => {});
    throw error;
  }
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * What the web app's video Service Worker needs to stream the rendition (the same shape as the content's): the
 * rendition stream's subkey, its header, and the lengths the metadata promises. The served length is checked here.
 */
export async function openRenditionStream(
  where: RenditionLocation,
  fileKey: Uint8Array,
  fileId: string,
  info: RenditionInfo,
): Promise<MediaStreamSource> {
  const expected = renditionCiphertextLength(info);
  const bytes = await fetchRange(where, fileId, expected, 0, STREAM_HEADER_LENGTH - 1);
  if (bytes.length !== STREAM_HEADER_LENGTH)
    throw new InvalidResponseError(`The server sent ${bytes.length} bytes of ${fileId}'s rendition header`);
  // Not trusted: every header field is bound into the subkey (SPEC §6.2), a changed one fails every segment.
  const header = parseStreamHeader(bytes);
  return {
    fileId,
    contentUrl: where.http.url(where.path),
    headers: where.anonymous ? {} : where.http.authHeaders(),
    key: await deriveStreamKey(fileKey, header, renditionAssociatedData(fileId)),
    header: header.bytes,
    ciphertextLength: expected,
    plaintextLength: info.size,
    mime: info.mime,
  };
}

/** Plaintext bytes start..endInclusive of the rendition, each covering segment authenticated first. */
export async function readRendition(
  where: RenditionLocation,
  fileKey: Uint8Array,
  fileId: string,
  info: RenditionInfo,
  start: number,
  endInclusive: number,
): Promise<Uint8Array> {
  const expected = renditionCiphertextLength(info);
  const reader = await SegmentReader.open(fileKey, {
    associatedData: renditionAssociatedData(fileId),
    ciphertextLength: expected,
    plaintextLength: info.size,
    fetchCiphertextRange: (a, b) => fetchRange(where, fileId, expected, a, b),
  });
  return reader.read(start, endInclusive);
}

/** The whole rendition, decrypted while it streams (TAMPERED/TRUNCATED before any unauthenticated byte). */
export async function streamRendition(
  where: RenditionLocation,
  fileKey: Uint8Array,
  fileId: string,
  info: RenditionInfo,
): Promise<ReadableStream<Uint8Array>> {
  const response = await where.http.send(where.path, { anonymous: where.anonymous });
  if (!response.ok) throw await apiErrorFrom(response);
  if (!response.body) throw new InvalidResponseError(`The server sent no rendition for ${fileId}`);
  const announced = Number(response.headers.get("content-length") ?? Number.NaN);
  try {
    if (Number.isFinite(announced)) checkRenditionLength(fileId, announced, renditionCiphertextLength(info));
  } catch (error) {
    await response.body.cancel().catch(() => {});
    throw error;
  }
  return guardedBody(response.body, `the rendition of ${fileId}`).pipeThrough(
    createDecryptStream(fileKey, {
      associatedData: renditionAssociatedData(fileId),
      plaintextLength: info.size,
    }),
  );
}

/** The rendition a file's metadata describes; NOT_FOUND when it describes none. */
export function requireRendition(fileId: string, metadata: FileMetadata): RenditionInfo {
  const info = renditionInfoOf(fileId, metadata);
  if (!info) throw new UmbraClientError("NOT_FOUND", `${fileId} has no rendition`);
  return info;
}

/** A public link's file's rendition for the player (the link's file key; the server's public rendition route). */
export function linkRenditionStream(
  http: HttpTransport,
  linkId: string,
  fileKey: Uint8Array,
  fileId: string,
  metadata: FileMetadata,
): Promise<MediaStreamSource> {
  const path = `/api/public/links/${encodeURIComponent(linkId)}/files/${encodeURIComponent(fileId)}/rendition`;
  return openRenditionStream(
    { http, path, anonymous: true },
    fileKey,
    fileId,
    requireRendition(fileId, metadata),
  );
}
