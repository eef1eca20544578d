import { decryptRecordThumbnail, parseThumbnailBatch } from "@umbra/client/record-decrypt";
import { jpegDataUrl } from "../media/data-url.js";
import type { BatchOutcome, DecryptReply, DecryptRequest, FetchTiming } from "./thumbnail-pool.js";

/** The worker's global scope, typed by hand because the app compiles against the DOM lib, not WebWorker. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<DecryptRequest>) => void) | null;
  postMessage(message: DecryptReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const now = () => performance.timeOrigin + performance.now();

/** The sealed bytes of a 200 answer, or undefined for anything else (the page's SDK path handles those). */
async function fetchSealed(request: {
  url: string;
  headers: Record<string, string>;
  body?: string;
}): Promise<{ bytes: Uint8Array; timing: FetchTiming } | undefined> {
  const startedAt = now();
  let response: Response;
  try {
    response = await fetch(
      request.url,
      request.body === undefined
        ? { headers: request.headers }
        : { method: "POST", headers: request.headers, body: request.body },
    );
  } catch {
    return undefined;
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  const headersAt = now();
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Resource timing says how long the server took; without it the time to the headers stands in.
  const entry = performance.getEntriesByName(request.url).at(-1) as PerformanceResourceTiming | undefined;
  performance.clearResourceTimings();
  const serverMs =
    entry && entry.responseStart > 0 ? entry.responseStart - entry.requestStart : headersAt - startedAt;
  return { bytes, timing: { startedAt, durationMs: now() - startedAt, serverMs } };
}

/** Opens each thumbnail of a batch answer under its own file key; one failing does not fail the others. */
async function openBatch(
  items: { fileId: string; fileKey: Uint8Array }[],
  variant: "grid" | "preview",
  sealed: Uint8Array,
): Promise<BatchOutcome[]> {
  const parts = parseThumbnailBatch(sealed, items.length);
  const outcomes: BatchOutcome[] = [];
  for (const [i, item] of items.entries()) {
    const part = parts[i];
    if (!part) {
      outcomes.push({ absent: true });
      continue;
    }
    const startedAt = now();
    try {
      const bytes = await decryptRecordThumbnail(item.fileKey, item.fileId, variant, part);
      outcomes.push({ dataUrl: bytes.length === 0 ? "" : jpegDataUrl(bytes), startedAt, endedAt: now() });
    } catch (error) {
      outcomes.push({ error: errorOf(error) });
    }
  }
  return outcomes;
}

function errorOf(error: unknown): { name: string; code: string | undefined; message: string } {
  const e = error as { name?: string; code?: unknown; message?: string };
  return {
    name: e.name ?? "Error",
    code: typeof e.code === "string" ? e.code : undefined,
    message: e.message ?? String(error),
  };
}

// The SDK's own thumbnail decryption (its small `record-decrypt` entry): one thumbnail, or one batch, per
// message; file keys arrive as copies and are wiped once used. Given a request, the worker also fetches and
// answers with data: URLs, so the page never handles the bytes.
scope.onmessage = async ({ data }) => {
  if (data.batch) {
    try {
      const sealed = await fetchSealed(data.batch.request);
      if (!sealed) {
        scope.postMessage({ id: data.id, ok: false, unanswered: true });
        return;
      }
      const startedAt = now();
      const batch = await openBatch(data.batch.items, data.variant, sealed.bytes);
      scope.postMessage({ id: data.id, ok: true, batch, startedAt, endedAt: now(), fetched: sealed.timing });
    } catch (error) {
      scope.postMessage({ id: data.id, ok: false, error: errorOf(error) });
    } finally {
      for (const item of data.batch.items) item.fileKey.fill(0);
    }
    return;
  }
  try {
    if (data.request) {
      const sealed = await fetchSealed(data.request);
      if (!sealed) {
        scope.postMessage({ id: data.id, ok: false, unanswered: true });
        return;
      }
      const startedAt = now();
      const bytes = await decryptRecordThumbnail(data.fileKey, data.fileId, data.variant, sealed.bytes);
      const dataUrl = bytes.length === 0 ? "" : jpegDataUrl(bytes);
      scope.postMessage({
        id: data.id,
        ok: true,
        dataUrl,
        startedAt,
        endedAt: now(),
        fetched: sealed.timing,
      });
      return;
    }
    const startedAt = now();
    const bytes = await decryptRecordThumbnail(data.fileKey, data.fileId, data.variant, data.blob);
    const buffer =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : bytes.slice().buffer;
    scope.postMessage({ id: data.id, ok: true, bytes: buffer, startedAt, endedAt: now() }, [buffer]);
  } catch (error) {
    scope.postMessage({ id: data.id, ok: false, error: errorOf(error) });
  } finally {
    data.fileKey.fill(0);
  }
};
