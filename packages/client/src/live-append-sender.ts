import { LIVE_OFFSET_HEADER } from "@umbra/protocol";
import { backoffDelay, sleep } from "./backoff.js";
import { ApiError, NetworkError, UmbraClientError } from "./errors.js";
import { apiErrorFrom, type HttpTransport } from "./http.js";

export interface LiveAppendOptions {
  /** Ciphertext bytes waiting in memory before `enqueue` waits (backpressure). */
  maxQueuedBytes?: number;
  /** Bytes sent in one append request at most (several queued segments go together). */
  maxBatchBytes?: number;
  /** How long the server may stay unreachable (no append succeeds) before the upload fails for good. */
  giveUpAfterMs?: number;
}

export const DEFAULT_LIVE_APPEND: Required<LiveAppendOptions> = {
  maxQueuedBytes: 64 * 1024 * 1024,
  maxBatchBytes: 1024 * 1024,
  giveUpAfterMs: 10 * 60 * 1000,
};

/**
 * Sends a live stream's ciphertext to `POST /api/live/:id/append`, in order, as it is queued. Network failures
 * are retried with backoff; the server's length (Umbra-Offset on a 409) says which bytes already landed, so a
 * request whose answer was lost is not sent twice. Bytes wait in memory meanwhile, up to `maxQueuedBytes`.
 */
export class LiveAppendSender {
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private sent: number;
  private running: Promise<void> | undefined;
  private failure: unknown;
  private readonly roomWaiters: (() => void)[] = [];
  private readonly options: Required<LiveAppendOptions>;

  constructor(
    private readonly http: HttpTransport,
    private readonly fileId: string,
    startLength: number,
    options: LiveAppendOptions = {},
  ) {
    this.sent = startLength;
    this.options = { ...DEFAULT_LIVE_APPEND, ...options };
  }

  /** Bytes the server confirmed holding. */
  get confirmedBytes(): number {
    return this.sent;
  }

  /** The error that ended the upload, if it ended. */
  get error(): unknown {
    return this.failure;
  }

  /** Queues bytes for sending; waits while the queue is full; rejects once the upload failed for good. */
  async enqueue(bytes: Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    while (this.queuedBytes > this.options.maxQueuedBytes && this.failure === undefined) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Resolves once every queued byte is on the server. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure !== undefined) throw this.failure;
    if (this.queue.length > 0) {
      this.running = this.drain().finally(() => {
        this.running = undefined;
      });
      await this.flush();
    }
  }

  /** Stops for good: queued bytes are dropped, waiting and later calls fail with `reason`. */
  cancel(reason: unknown): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.fail(reason);
  }

  private async drain(): Promise<void> {
    let failingSince: number | undefined;
    let attempt = 0;
    while (this.queue.length > 0 && this.failure === undefined) {
      const batch = this.takeBatch();
      try {
        const landed = await this.append(batch);
        if (this.failure !== undefined) break;
        this.dropSent(landed);
        failingSince = undefined;
        attempt = 0;
      } catch (error) {
        if (!(error instanceof NetworkError || isServerFault(error))) {
          this.fail(error);
          break;
        }
        failingSince ??= Date.now();
        if (Date.now() - failingSince > this.options.giveUpAfterMs) {
          this.fail(error);
          break;
        }
        await sleep(backoffDelay(Math.min(attempt++, 8), this.http.backoff));
      }
    }
  }

  /** The next request body: queued bytes from the head, up to maxBatchBytes (at least one chunk). */
  private takeBatch(): Uint8Array {
    if (this.queue.length === 1 || this.queue[0]!.length >= this.options.maxBatchBytes) return this.queue[0]!;
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const chunk of this.queue) {
      if (size > 0 && size + chunk.length > this.options.maxBatchBytes) break;
      parts.push(chunk);
      size += chunk.length;
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** Removes `count` bytes from the head of the queue (whole chunks, or the front of one). */
  private dropSent(count: number): void {
    let left = count;
    while (left > 0) {
      const head = this.queue[0]!;
      if (head.length <= left) {
        this.queue.shift();
        left -= head.length;
      } else {
        this.queue[0] = head.subarray(left);
        left = 0;
      }
    }
    this.queuedBytes -= count;
    this.sent += count;
    if (this.queuedBytes <= this.options.maxQueuedBytes) {
      for (const wake of this.roomWaiters.splice(0)) wake();
    }
  }

  /** Sends one batch; resolves to how many queued bytes the server now holds beyond what was confirmed. */
  private async append(batch: Uint8Array): Promise<number> {
    const response = await this.http.send(`/api/live/${encodeURIComponent(this.fileId)}/append`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", [LIVE_OFFSET_HEADER]: String(this.sent) },
      body: batch as BodyInit,
    });
    if (response.ok) {
      await response.body?.cancel().catch(() => {});
      return batch.length;
    }
    const held = Number(response.headers.get(LIVE_OFFSET_HEADER));
    const error = await apiErrorFrom(response);
    if (error instanceof ApiError && error.code === "OFFSET_MISMATCH" && Number.isSafeInteger(held)) {
      // An earlier request landed but its answer was lost: skip what the server already holds.
      if (held > this.sent && held <= this.sent + this.queuedBytes) return held - this.sent;
      throw new UmbraClientError(
        "INVALID_RESPONSE",
        `The server holds ${held} bytes of live file ${this.fileId}, but ${this.sent} were confirmed`,
      );
    }
    throw error;
  }

  private fail(error: unknown): void {
    this.failure = error;
    for (const wake of this.roomWaiters.splice(0)) wake();
  }
}

function isServerFault(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 500 && error.status !== 507;
}
