import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FileDigestReply, FileDigestRequest } from "./file-digest-worker.js";

/** The digest worker's file beside the bundled CLI (dist/); absent when the CLI runs from source (tests). */
const WORKER_FILE = fileURLToPath(new URL("./file-digest-worker.js", import.meta.url));

/** A file could not be read for its digest: final for that file, unlike a worker that cannot run. */
export class FileDigestError extends Error {
  readonly code = "FILE_READ_FAILED";
  override name = "FileDigestError";
}

/**
 * One worker thread computing content digests by path (see file-digest-worker.ts), started on first use and
 * unreferenced when idle so it never keeps the CLI alive. Null when no worker can run here: the SDK then
 * hashes on the main thread.
 */
class FileDigests {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve: (d: string) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  available(): boolean {
    return existsSync(WORKER_FILE);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_FILE);
    worker.on("message", (reply: FileDigestReply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if ("digest" in reply) waiter?.resolve(reply.digest);
      else waiter?.reject(new FileDigestError(reply.error));
    });
    const fail = (error: Error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
      this.worker = undefined;
    };
    worker.on("error", fail);
    worker.on("exit", () => fail(new Error("the digest worker stopped")));
    this.worker = worker;
    return worker;
  }

  digest(path: string, dedupKey: Uint8Array): Promise<string> {
    const worker = this.start();
    worker.ref();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, path, dedupKey: dedupKey.slice() } satisfies FileDigestRequest);
    });
  }
}

export const fileDigests = new FileDigests();
