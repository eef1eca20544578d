import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
} from "node:http";
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

/** A whole HTTP answer as raw bytes (any content type), for `RawLie.respond`. */
export interface RawAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  /**
   * Announce the whole body (its content-length) but send only this many bytes of it, then cut the connection:
   * a server that stops mid-answer.
   */
  cutAfter?: number;
}

/** What a raw lie sees of one exchange: the request headers as forwarded upstream (after `request` edits). */
export interface RawExchange {
  method: string;
  path: string;
  requestHeaders: IncomingHttpHeaders;
}

/**
 * A lie below JSON: `request` edits the request headers before they go to the real server (drop `range`, ask for
 * other bytes), `respond` replaces the raw answer (status, headers, bytes) of any content type. Either returns
 * `undefined` to leave things as they are. The proxy sets `content-length` to the length of the body it sends,
 * so a rewritten answer is always well framed. `times` limits how often it fires.
 */
export interface RawLie {
  method?: string;
  path: RegExp | string;
  request?: (
    headers: IncomingHttpHeaders,
    exchange: { method: string; path: string },
  ) => IncomingHttpHeaders | undefined;
  respond?: (
    answer: RawAnswer,
    exchange: RawExchange,
  ) => RawAnswer | undefined | Promise<RawAnswer | undefined>;
  times?: number;
}

/** One request the proxy saw. `body` and `status` are filled in once the request body ended and it was answered. */
export interface SeenRequest {
  method: string;
  path: string;
  /** The headers the client sent. */
  headers: IncomingHttpHeaders;
  /** The raw request body as the client sent it (empty for none). */
  body: Buffer;
  /** The status the client got (after any lie). */
  status?: number;
}

export interface LyingProxy {
  url: string;
  /** Adds a lie; returns a function that takes it back. */
  lie(lie: Lie): () => void;
  /** Adds a raw lie (request headers, raw answers); returns a function that takes it back. */
  lieRaw(lie: RawLie): () => void;
  /** Takes every lie back: the proxy passes answers through unchanged. */
  truthful(): void;
  /** How often lies (JSON and raw) fired in total. */
  fired(): number;
  /** Every request the proxy saw, newest last (method, path, headers, body). */
  readonly seen: SeenRequest[];
  stop(): Promise<void>;
}

const matches = (lie: { method?: string; path: RegExp | string }, method: string, path: string) =>
  (lie.method === undefined || lie.method === method) &&
  (typeof lie.path === "string" ? path.split("?")[0] === lie.path : lie.path.test(path));

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Headers of an answer the proxy re-frames: its own content-length, no transfer-encoding. */
function reframed(headers: OutgoingHttpHeaders, length: number): OutgoingHttpHeaders {
  const out = { ...headers };
  delete out["content-length"];
  delete out["transfer-encoding"];
  return { ...out, "content-length": length };
}

/**
 * A real HTTP proxy in front of the real server that answers whatever the test tells it to: the server as an
 * adversary that rewrites its API responses. Requests pass through unchanged unless a raw lie edits their
 * headers; JSON answers of routes with a `lie` are rewritten, answers of routes with a raw lie's `respond` are
 * replaced byte for byte, and every other answer streams through untouched.
 */
export async function startLyingProxy(target: string): Promise<LyingProxy> {
  const upstream = new URL(target);
  const lies: (Lie & { fired: number })[] = [];
  const rawLies: (RawLie & { fired: number })[] = [];
  const seen: SeenRequest[] = [];
  let firedTotal = 0;
  const fire = (lie: { fired: number }) => {
    lie.fired++;
    firedTotal++;
  };
  const server: Server = createServer(async (req, res) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const entry: SeenRequest = { method, path, headers: { ...req.headers }, body: Buffer.alloc(0) };
    seen.push(entry);
    const active = lies.filter(
      (l) => matches(l, method, path) && (l.times === undefined || l.fired < l.times),
    );
    const rawActive = rawLies.filter(
      (l) => matches(l, method, path) && (l.times === undefined || l.fired < l.times),
    );
    const jsonRequest = (req.headers["content-type"] ?? "").includes("application/json");
    const requestBody = active.length > 0 || jsonRequest ? await readAll(req) : undefined;
    if (requestBody !== undefined) {
      entry.body = requestBody;
    } else {
      // Streamed through; a copy is kept for tests that scan what the client sent.
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        entry.body = Buffer.concat(chunks);
      });
    }
    let headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
    // A lie rewrites a whole answer: ask the real server for one (never a bodiless 304).
    if (active.length > 0) delete headers["if-none-match"];
    const firedOnRequest = new Set<RawLie>();
    for (const lie of rawActive) {
      const next = lie.request?.({ ...headers }, { method, path });
      if (next !== undefined) {
        headers = { ...next, host: upstream.host };
        firedOnRequest.add(lie);
        fire(lie);
      }
    }
    const responders = rawActive.filter((l) => l.respond !== undefined);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method, path, headers },
      async (answer) => {
        const isJson = (answer.headers["content-type"] ?? "").includes("application/json");
        if ((active.length === 0 || !isJson) && responders.length === 0) {
          entry.status = answer.statusCode ?? 502;
          res.writeHead(entry.status, answer.headers);
          answer.pipe(res);
          return;
        }
        let raw = await readAll(answer);
        let cutAfter: number | undefined;
        let status = answer.statusCode ?? 502;
        let answerHeaders: OutgoingHttpHeaders = { ...answer.headers };
        if (active.length > 0 && isJson) {
          let body: unknown = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
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
              fire(lie);
              if (lie.status !== undefined) status = lie.status;
            }
          }
          raw = Buffer.from(JSON.stringify(body), "utf8");
        }
        for (const lie of responders) {
          const next = await lie.respond!(
            { status, headers: answerHeaders, body: raw },
            { method, path, requestHeaders: headers },
          );
          if (next !== undefined) {
            ({ status, headers: answerHeaders, body: raw, cutAfter } = next);
            // A lie that edited the request as well counts once per exchange.
            if (!firedOnRequest.has(lie)) fire(lie);
          }
        }
        entry.status = status;
        res.writeHead(status, reframed(answerHeaders, raw.length));
        if (cutAfter === undefined) {
          res.end(raw);
          return;
        }
        res.write(raw.subarray(0, cutAfter), () => res.destroy());
      },
    );
    forward.on("error", (error) => {
      entry.status = 502;
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
    lieRaw(lie) {
      const entry = { ...lie, fired: 0 };
      rawLies.push(entry);
      return () => {
        const at = rawLies.indexOf(entry);
        if (at >= 0) rawLies.splice(at, 1);
      };
    },
    truthful() {
      lies.length = 0;
      rawLies.length = 0;
    },
    fired: () => firedTotal,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
