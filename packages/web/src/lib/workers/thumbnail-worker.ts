import { decryptRecordThumbnail } from "@umbra/client/record-decrypt";
import { jpegDataUrl } from "../media/data-url.js";
import type { DecryptReply, DecryptRequest, FetchTiming } from "./thumbnail-pool.js";

/** The worker's global scope, typed by hand because the app compiles against the DOM lib, not WebWorker. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<DecryptRequest>) => void) | null;
  postMessage(message: DecryptReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const now = () => performance.timeOrigin + performance.now();

/** The sealed bytes of a 200 answer, or undefined for anything else (the page's SDK path handles those). */
async function fetchSealed(
  request: NonNullable<DecryptRequest["request"]>,
): Promise<{ bytes: Uint8Array; timing: FetchTiming } | undefined> {
  const startedAt = now();
  let response: Response;
  try {
    response = await fetch(request.url, { headers: request.headers });
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

// The SDK's own thumbnail decryption (its small `record-decrypt` entry). One thumbnail per message; the file key
// arrives as a copy and is wiped once used. Given a request, the worker also fetches and answers with the data:
// URL, so the page never handles the bytes.
scope.onmessage = async ({ data }) => {
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
    const e = error as { name?: string; code?: unknown; message?: string };
    scope.postMessage({
      id: data.id,
      ok: false,
      error: {
        name: e.name ?? "Error",
        code: typeof e.code === "string" ? e.code : undefined,
        message: e.message ?? String(error),
      },
    });
  } finally {
    data.fileKey.fill(0);
  }
};
