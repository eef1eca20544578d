import type { MediaStreamSource } from "@umbra/client";
import type { MediaFailure } from "./range-response.js";

/**
 * The messages between the page and the video Service Worker. Keys travel only as non-extractable CryptoKeys
 * inside a MediaStreamSource, by postMessage (structured clone), and are kept in memory on both sides.
 */
export type PageToWorker =
  | { type: "umbra-media-register"; token: string; source: MediaStreamSource }
  | { type: "umbra-media-forget"; token: string }
  | { type: "umbra-media-forget-all" }
  | { type: "umbra-media-last-failure"; token: string }
  /** A file the page makes as it goes (a zip), handed over to be saved from `downloadPath(token)`. */
  | {
      type: "umbra-media-download";
      token: string;
      name: string;
      mime: string;
      stream: ReadableStream<Uint8Array>;
    };

export type WorkerToPage =
  /** The worker lost its keys (it was stopped): the page answers on the port with the source, or null. */
  | { type: "umbra-media-need"; token: string }
  | { type: "umbra-media-failure"; token: string; failure: MediaFailure };

/** `/media/<token>/<fileId>`: the token names one registration (random, per player). */
export const MEDIA_PATH_PREFIX = "/media/";

export function mediaPath(token: string, fileId: string): string {
  return `${MEDIA_PATH_PREFIX}${token}/${encodeURIComponent(fileId)}`;
}

export function parseMediaPath(pathname: string): { token: string; fileId: string } | null {
  const match = /^\/media\/([A-Za-z0-9_-]{16,64})\/([^/]+)$/.exec(pathname);
  if (!match) return null;
  return { token: match[1] as string, fileId: decodeURIComponent(match[2] as string) };
}

/** `/download/<token>`: a streamed download the page handed to the worker (one use). */
export function downloadPath(token: string): string {
  return `/download/${token}`;
}

export function parseDownloadPath(pathname: string): string | null {
  return /^\/download\/([A-Za-z0-9_-]{16,64})$/.exec(pathname)?.[1] ?? null;
}

/** `attachment` with the name as typed (RFC 6266 `filename*`) and an ASCII fallback for old clients. */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export function isPageToWorker(data: unknown): data is PageToWorker {
  const type = (data as { type?: unknown } | null)?.type;
  return typeof type === "string" && type.startsWith("umbra-media-");
}
