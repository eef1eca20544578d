import { decryptMetadataBatch } from "@umbra/client/record-decrypt";
import type { MetadataBatchReply, MetadataBatchRequest } from "./metadata-pool.js";

/** The worker's global scope, typed by hand because the app compiles against the DOM lib, not WebWorker. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<MetadataBatchRequest>) => void) | null;
  postMessage(message: MetadataBatchReply): void;
}

const scope = self as unknown as WorkerScope;

// The SDK's own record decryption (its small `record-decrypt` entry, without OPAQUE and tus): it validates the
// decrypted shape (assertFileMetadata) and wipes each file key. One batch per message; the album keys arrive as
// copies and are wiped once the batch is done.
scope.onmessage = async ({ data }) => {
  try {
    scope.postMessage({ id: data.id, results: await decryptMetadataBatch(data.albumKeys, data.items) });
  } finally {
    for (const key of Object.values(data.albumKeys)) key.fill(0);
  }
};
