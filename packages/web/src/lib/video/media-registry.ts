import type { MediaStreamSource } from "@umbra/client";
import { downloadPath, mediaPath, type PageToWorker, type WorkerToPage } from "./media-messages.js";
import type { MediaFailure } from "./range-response.js";

/** The video Service Worker, at the root so that its scope covers every page (vite.config.ts builds it there). */
const WORKER_URL = "/media-sw.js";

/** Raised when this browser cannot run the video worker (no Service Workers: an insecure or private context). */
export class StreamingUnavailableError extends Error {
  readonly code = "STREAMING_UNAVAILABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StreamingUnavailableError";
  }
}

/**
 * The page's side of video streaming: registers each player's source with the Service Worker (keys in memory,
 * never written), hands them back when a restarted worker asks, and forgets them all on lock and logout.
 */
class MediaRegistry {
  private readonly sources = new Map<string, MediaStreamSource>();
  private readonly listeners = new Map<string, (failure: MediaFailure) => void>();
  private worker: Promise<ServiceWorker> | undefined;

  /** A URL for a `<video src>` that streams `source`; the worker holds it until `forget`. */
  async register(source: MediaStreamSource): Promise<{ url: string; token: string }> {
    const worker = await this.controller();
    const token = randomToken();
    this.sources.set(token, source);
    await this.post(worker, { type: "umbra-media-register", token, source });
    return { url: mediaPath(token, source.fileId), token };
  }

  /**
   * Saves a stream as a file without holding it whole: the worker answers `/download/<token>` with it, and a
   * hidden frame's navigation there becomes the browser's download. Resolves once the worker holds the stream.
   */
  async saveStream(stream: ReadableStream<Uint8Array>, name: string, mime: string): Promise<void> {
    const worker = await this.controller();
    const token = randomToken();
    const channel = new MessageChannel();
    const held = new Promise<void>((resolve) => {
      channel.port1.onmessage = () => resolve();
    });
    const message: PageToWorker = { type: "umbra-media-download", token, name, mime, stream };
    worker.postMessage(message, [channel.port2, stream as unknown as Transferable]);
    await held;
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.src = downloadPath(token);
    document.body.append(frame);
    // The download has started once the worker answered; the frame only needs to outlive that.
    setTimeout(() => frame.remove(), 60_000);
  }

  /** Registers the worker and waits until it controls this page (the first `register` does it otherwise). */
  warm(): Promise<unknown> {
    return this.controller();
  }

  /** Called with the worker's report when a request of `token` failed (integrity, or the server's refusal). */
  onFailure(token: string, listener: (failure: MediaFailure) => void): () => void {
    this.listeners.set(token, listener);
    return () => this.listeners.delete(token);
  }

  /** The last failure the worker saw for `token` (asked when the media element reports an error). */
  async lastFailure(token: string): Promise<MediaFailure | null> {
    const worker = navigator.serviceWorker?.controller;
    if (!worker) return null;
    return (await this.post(worker, { type: "umbra-media-last-failure", token })) as MediaFailure | null;
  }

  forget(token: string): void {
    this.sources.delete(token);
    this.listeners.delete(token);
    const worker = navigator.serviceWorker?.controller;
    worker?.postMessage({ type: "umbra-media-forget", token } satisfies PageToWorker);
  }

  /** Lock and logout: every key this page handed out is dropped, here and in the worker. */
  forgetAll(): void {
    this.sources.clear();
    this.listeners.clear();
    const worker = typeof navigator === "undefined" ? undefined : navigator.serviceWorker?.controller;
    worker?.postMessage({ type: "umbra-media-forget-all" } satisfies PageToWorker);
  }

  private controller(): Promise<ServiceWorker> {
    this.worker ??= this.start().catch((error) => {
      this.worker = undefined;
      throw error;
    });
    return this.worker;
  }

  private async start(): Promise<ServiceWorker> {
    const container = navigator.serviceWorker;
    if (!container)
      throw new StreamingUnavailableError(
        "This browser cannot stream encrypted video here (no Service Workers)",
      );
    container.addEventListener("message", (event) => this.onWorkerMessage(event));
    container.startMessages();
    await container.register(WORKER_URL, { type: "module", scope: "/" });
    await container.ready;
    // The worker claims its pages when it activates; until then this page's requests would not reach it.
    while (!container.controller) {
      await new Promise((resolve) => container.addEventListener("controllerchange", resolve, { once: true }));
    }
    return container.controller;
  }

  private onWorkerMessage(event: MessageEvent): void {
    const message = event.data as WorkerToPage | null;
    if (message?.type === "umbra-media-need")
      event.ports[0]?.postMessage(this.sources.get(message.token) ?? null);
    else if (message?.type === "umbra-media-failure") this.listeners.get(message.token)?.(message.failure);
  }

  private post(worker: ServiceWorker, message: PageToWorker): Promise<unknown> {
    const channel = new MessageChannel();
    const answer = new Promise<unknown>((resolve) => {
      channel.port1.onmessage = (event) => resolve(event.data);
    });
    worker.postMessage(message, [channel.port2]);
    return answer;
  }
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export const mediaRegistry = new MediaRegistry();

// Installed while the app is idle after loading, so that the first video does not wait for the worker's start.
if (typeof window !== "undefined" && "serviceWorker" in navigator && "requestIdleCallback" in window) {
  window.requestIdleCallback(() => void mediaRegistry.warm().catch(() => {}), { timeout: 5000 });
}
