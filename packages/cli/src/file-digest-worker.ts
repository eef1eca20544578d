// A worker thread that computes files' keyed content digests (HMAC-SHA256, as @umbra/crypto defines them)
// from their paths: only a path and a key go in and 43 characters come out, so the CLI's main thread, which
// encrypts and sends, does not also hash every byte of every file.
import { open } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import { createContentDigest } from "@umbra/crypto";

export interface FileDigestRequest {
  id: number;
  path: string;
  dedupKey: Uint8Array;
}

export type FileDigestReply = { id: number; digest: string } | { id: number; error: string };

const READ_BYTES = 1024 * 1024;

export async function digestFile(path: string, dedupKey: Uint8Array): Promise<string> {
  const digest = createContentDigest(dedupKey);
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(READ_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      digest.update(buffer.subarray(0, bytesRead));
    }
    return digest.digest();
  } finally {
    await handle.close();
    dedupKey.fill(0);
  }
}

parentPort?.on("message", async ({ id, path, dedupKey }: FileDigestRequest) => {
  try {
    parentPort!.postMessage({ id, digest: await digestFile(path, dedupKey) } satisfies FileDigestReply);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
