import { decryptRecordThumbnail } from "@umbra/client/record-decrypt";
import type { DecryptReply, DecryptRequest } from "./thumbnail-pool.js";

/** The worker's global scope, typed by hand because the app compiles against the DOM lib, not WebWorker. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<DecryptRequest>) => void) | null;
  postMessage(message: DecryptReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

// The SDK's own thumbnail decryption (its small `record-decrypt` entry). One decryption per message; the file key
// arrives as a copy and is wiped once used. The page makes the object URL: URLs made here left broken tiles in the
// grid (e2e), so the bytes go back to the page.
scope.onmessage = async ({ data }) => {
  const startedAt = performance.timeOrigin + performance.now();
  try {
    const bytes = await decryptRecordThumbnail(data.fileKey, data.fileId, data.variant, data.blob);
    const buffer =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : bytes.slice().buffer;
    const endedAt = performance.timeOrigin + performance.now();
    scope.postMessage({ id: data.id, ok: true, bytes: buffer, startedAt, endedAt }, [buffer]);
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
