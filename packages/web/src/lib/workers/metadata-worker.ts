import type { FileMetadata } from "@umbra/client";
import { decryptMetadata, fromBase64Url, unwrapFileKey } from "@umbra/crypto";
import type { MetadataBatchReply, MetadataBatchRequest, MetadataResult } from "./metadata-pool.js";

/** The worker's global scope, typed by hand because the app compiles against the DOM lib, not WebWorker. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<MetadataBatchRequest>) => void) | null;
  postMessage(message: MetadataBatchReply): void;
}

const scope = self as unknown as WorkerScope;

// @umbra/crypto directly, not the SDK: the worker stays small (the SDK pulls in OPAQUE and tus), and
// decryptMetadata validates the decrypted shape itself (assertFileMetadata) before it is used.
// One batch per message. Every item is started at once: Web Crypto runs them in parallel, so a batch costs
// little more than its slowest item. Album keys arrive as copies and are wiped once the batch is done.
scope.onmessage = async ({ data }) => {
  try {
    const results = await Promise.all(
      data.items.map(async (item): Promise<MetadataResult> => {
        try {
          const albumKey = data.albumKeys[item.keyRef];
          if (!albumKey)
            throw Object.assign(new Error(`No key for album ${item.albumId}`), { code: "NOT_FOUND" });
          const fileKey = await unwrapFileKey(
            albumKey,
            fromBase64Url(item.wrappedFileKey),
            item.albumId,
            item.fileId,
          );
          try {
            return {
              ok: true,
              metadata: (await decryptMetadata(
                fileKey,
                item.fileId,
                fromBase64Url(item.encryptedMetadata),
              )) as FileMetadata,
            };
          } finally {
            fileKey.fill(0);
          }
        } catch (error) {
          const e = error as { code?: unknown; message?: string };
          return {
            ok: false,
            code: typeof e.code === "string" ? e.code : "DECRYPT_FAILED",
            message: e.message ?? String(error),
          };
        }
      }),
    );
    scope.postMessage({ id: data.id, results });
  } finally {
    for (const key of Object.values(data.albumKeys)) key.fill(0);
  }
};
