// Test support for the direct tus writers: a file store in a temp dir and a plain HTTP server around a writer.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { FileStore } from "@tus/file-store";
import { MemoryLocker } from "@tus/server";
import type { PatchWriterDeps } from "./patch-writer.js";

/** Status the server answers when the writer left the request to @tus/server (returned false). */
export const LEFT_TO_TUS = 599;

export interface WriterTestServer {
  dir: string;
  base: string;
  deps: PatchWriterDeps;
  close(): Promise<void>;
}

/** Serves `write` on 127.0.0.1 with fresh writer deps (expiry 60 s); a request it declines answers 599. */
export async function startWriterTestServer(
  write: (deps: PatchWriterDeps, req: IncomingMessage, res: ServerResponse) => Promise<boolean>,
): Promise<WriterTestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "umbra-tus-writer-"));
  const store = new FileStore({ directory: dir, expirationPeriodInMilliseconds: 60_000 });
  const deps = {
    store,
    locker: new MemoryLocker(),
    expiryMs: 60_000,
    filePath: (id: string) => path.join(dir, id),
  };
  const server = createServer(async (req, res) => {
    if (!(await write(deps, req, res))) {
      res.writeHead(LEFT_TO_TUS);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    dir,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deps,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
