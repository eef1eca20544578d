import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A file's ciphertext: the owner's and members' route, and the public-link one. */
const CONTENT_PATH = /^\/api\/(?:public\/links\/[^/]+\/)?files\/[^/]+\/content$/;

export interface CountingProxy {
  url: string;
  /** Ciphertext bytes sent to the browser from the `/content` routes, and the requests for them. */
  contentBytes(): number;
  contentRequests(): string[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * A plain HTTP proxy in front of the server that counts what the browser really received of each file's
 * ciphertext (bytes written to it, stopping when it cancels): the Service Worker's requests are not visible to
 * page-level network events, the server's counting is not this test's to change.
 */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let bytes = 0;
  let requests: { what: string; bytes: number }[] = [];
  const server: Server = createServer((req, res) => {
    const counted = CONTENT_PATH.test((req.url ?? "").split("?")[0] ?? "");
    const entry = { what: `${req.headers.range ?? "(no range)"}`, bytes: 0 };
    if (counted) requests.push(entry);
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on("data", (chunk: Buffer) => {
          if (counted) {
            bytes += chunk.length;
            entry.bytes += chunk.length;
          }
          if (!res.write(chunk)) {
            answer.pause();
            res.once("drain", () => answer.resume());
          }
        });
        answer.on("end", () => res.end());
      },
    );
    forward.on("error", () => res.destroy());
    res.on("close", () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    contentBytes: () => bytes,
    contentRequests: () => requests.map((r) => `${r.what}: ${r.bytes} bytes`),
    reset: () => {
      bytes = 0;
      requests = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
