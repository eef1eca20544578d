import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a rule sees of one exchange. */
export interface Exchange {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  status: number;
  /** The request body the client sent (JSON requests only; undefined otherwise). */
  requestJson: unknown;
}

/**
 * One lie: for requests matching `method` and `path`, `rewrite` gets the real server's JSON answer and returns
 * the answer to send instead (or `undefined` to pass the real one through). `times` limits how often it fires.
 */
export interface Lie {
  method?: string;
  path: RegExp | string;
  // biome-ignore lint/suspicious/noExplicitAny: a lie edits answers of every shape, as a test writes them
  rewrite: (body: any, exchange: Exchange) => unknown | Promise<unknown>;
  times?: number;
  /** Replace the status too (for example 200 for a real 404). */
  status?: number;
}

export interface LyingProxy {
  url: string;
  /** Adds a lie; returns a function that takes it back. */
  lie(lie: Lie): () => void;
  /** Takes every lie back: the proxy passes answers through unchanged. */
  truthful(): void;
  /** How often each lie fired, by index of `lie` calls. */
  fired(): number;
  /** Every request the proxy saw, newest last (method and path). */
  readonly seen: { method: string; path: string }[];
  stop(): Promise<void>;
}

const matches = (lie: Lie, method: string, path: string) =>
  (lie.method === undefined || lie.method === method) &&
  (typeof lie.path === "string" ? path.split("?")[0] === lie.path : lie.path.test(path));

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A real HTTP proxy in front of the real server that answers whatever the test tells it to: the server as an
 * adversary that rewrites its API responses. Requests pass through unchanged; only JSON answers of matching
 * routes are rewritten (bodies of other answers stream through untouched).
 */
export async function startLyingProxy(target: string): Promise<LyingProxy> {
  const upstream = new URL(target);
  const lies: (Lie & { fired: number })[] = [];
  const seen: { method: string; path: string }[] = [];
  let firedTotal = 0;
  const server: Server = createServer(async (req, res) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    seen.push({ method, path });
    const active = lies.filter(
      (l) => matches(l, method, path) && (l.times === undefined || l.fired < l.times),
    );
    const jsonRequest = (req.headers["content-type"] ?? "").includes("application/json");
    const requestBody = active.length > 0 || jsonRequest ? await readAll(req) : undefined;
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method,
        path,
        headers: { ...req.headers, host: upstream.host },
      },
      async (answer) => {
        if (active.length === 0 || !(answer.headers["content-type"] ?? "").includes("application/json")) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        let body: unknown = JSON.parse((await readAll(answer)).toString("utf8"));
        let status = answer.statusCode ?? 502;
        let requestJson: unknown;
        try {
          requestJson =
            requestBody && requestBody.length > 0 ? JSON.parse(requestBody.toString("utf8")) : undefined;
        } catch {
          requestJson = undefined;
        }
        for (const lie of active) {
          const next = await lie.rewrite(body, { method, path, status, requestJson });
          if (next !== undefined) {
            body = next;
            lie.fired++;
            firedTotal++;
            if (lie.status !== undefined) status = lie.status;
          }
        }
        const text = JSON.stringify(body);
        const headers = { ...answer.headers };
        delete headers["content-length"];
        delete headers["transfer-encoding"];
        res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(text) });
        res.end(text);
      },
    );
    forward.on("error", (error) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(String(error));
    });
    if (requestBody !== undefined) forward.end(requestBody);
    else req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    lie(lie) {
      const entry = { ...lie, fired: 0 };
      lies.push(entry);
      return () => {
        const at = lies.indexOf(entry);
        if (at >= 0) lies.splice(at, 1);
      };
    },
    truthful() {
      lies.length = 0;
    },
    fired: () => firedTotal,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
