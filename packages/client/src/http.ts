import { TruncatedError } from "@umbra/crypto";
import { readErrorAnswer } from "@umbra/protocol";
import type { z } from "zod";
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF, retryAfterMs, sleep } from "./backoff.js";
import { ApiError, codeForStatus, InvalidResponseError, NetworkError } from "./errors.js";

/** Request bodies larger than this go out as a Blob in browsers. */
const LARGE_BODY_CHARS = 64 * 1024;

export type FetchLike = typeof fetch;

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not send the bearer token (sign-up, login). */
  anonymous?: boolean;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/**
 * The JSON transport: bearer token, bounded retries with backoff on network failures and on
 * 429/502/503/504, typed errors, and Zod validation of every answer the caller relies on.
 */
export class HttpTransport {
  readonly serverUrl: string;
  token: string | undefined;
  private readonly fetchImpl: FetchLike;
  readonly backoff: BackoffOptions;

  constructor(options: {
    serverUrl: string;
    fetch?: FetchLike;
    token?: string;
    backoff?: Partial<BackoffOptions>;
  }) {
    this.serverUrl = options.serverUrl.replace(/\/+$/, "");
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.token = options.token;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  url(path: string): string {
    return this.serverUrl + path;
  }

  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Sends a request, retrying transient failures; returns the first non-retryable response. */
  async send(path: string, init: RequestInit & { anonymous?: boolean } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!init.anonymous && this.token) headers.set("authorization", `Bearer ${this.token}`);
    let lastError: unknown;
    for (let attempt = 0; attempt < this.backoff.attempts; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(this.url(path), { ...init, headers });
      } catch (error) {
        if (init.signal?.aborted) throw error;
        lastError = error;
        if (attempt + 1 < this.backoff.attempts)
          await sleep(backoffDelay(attempt, this.backoff), init.signal ?? undefined);
        continue;
      }
      if (RETRY_STATUSES.has(response.status) && attempt + 1 < this.backoff.attempts) {
        const wait = retryAfterMs(response.headers.get("retry-after")) ?? backoffDelay(attempt, this.backoff);
        await response.body?.cancel().catch(() => {});
        await sleep(Math.min(wait, this.backoff.maxDelayMs * 2), init.signal ?? undefined);
        continue;
      }
      return response;
    }
    throw new NetworkError(
      `Cannot reach the server at ${this.serverUrl} after ${this.backoff.attempts} attempts: ${describe(lastError)}`,
      { cause: lastError },
    );
  }

  /** A JSON request whose answer is parsed with `schema`; a 204 answers `undefined`. */
  async json<T>(path: string, schema: z.ZodType<T> | null, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Blob | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
      // A page's fetch copies a string body through the main thread; a Blob is handed over by reference
      // (file commits carry their thumbnails, hundreds of KB).
      if (body.length > LARGE_BODY_CHARS && "document" in globalThis) body = new Blob([body]);
    }
    const response = await this.send(path, {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
      signal: options.signal,
      anonymous: options.anonymous,
    });
    if (!response.ok) throw await apiErrorFrom(response);
    if (response.status === 204 || schema === null) {
      await response.body?.cancel().catch(() => {});
      return undefined as T;
    }
    let data: unknown;
    try {
      data = await response.json();
    } catch (error) {
      throw new InvalidResponseError(`The server sent a body that is not JSON for ${path}`, { cause: error });
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new InvalidResponseError(`The server's answer to ${path} does not match the protocol`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}

/** An error answer already read: what tus-js-client hands over (status and body text). */
export interface ReadAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The typed error for a non-2xx answer, from its `{error: {code, message}}` body when there is one (else the
 * status says the code). The one reader of error answers: transport, tus uploads and the web app use it. A blob
 * the server found incomplete on its disk (`BLOB_INCOMPLETE`) is the same integrity failure as ciphertext that
 * ends early, so it is the crypto package's `TruncatedError` (the server's answer is its cause).
 */
export function apiErrorFrom(answer: Response): Promise<ApiError | TruncatedError>;
export function apiErrorFrom(answer: ReadAnswer): ApiError | TruncatedError;
export function apiErrorFrom(
  answer: Response | ReadAnswer,
): Promise<ApiError | TruncatedError> | ApiError | TruncatedError {
  if (!isResponse(answer)) return apiErrorOf(answer.status, answer.body);
  return answer.text().then(
    (body) => apiErrorOf(answer.status, body),
    // The body could not be read: the status says the code.
    () => apiErrorOf(answer.status, undefined),
  );
}

function isResponse(answer: Response | ReadAnswer): answer is Response {
  return typeof (answer as Response).text === "function";
}

function apiErrorOf(status: number, body: unknown): ApiError | TruncatedError {
  const said = readErrorAnswer(body);
  const code = said.code ?? codeForStatus(status);
  const message = said.message ?? `HTTP ${status}`;
  const error = new ApiError(code, message, status);
  if (code === "BLOB_INCOMPLETE") return new TruncatedError(`${message} (${code})`, { cause: error });
  return error;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

/** A response sent for ahead of need and not used after all: its body is dropped so the connection frees. */
export function discardResponse(response: Promise<Response> | undefined): void {
  response
    ?.then(
      (r) => r.body?.cancel(),
      () => undefined,
    )
    .catch(() => undefined);
}
