import type { MediaStreamSource } from "@umbra/client";
import type { PageToWorker } from "./media-messages.js";
import type { MediaFailure } from "./range-response.js";

/** Asks the page that made a request for the source of `token` again (null: it has none, or did not answer). */
export type AskPage = (clientId: string, token: string) => Promise<MediaStreamSource | null>;

/**
 * What the video Service Worker holds: the sources the pages registered, in memory only (a stopped worker loses
 * them and asks the page again), and each registration's last failure for the page to show.
 */
export class WorkerSources {
  private readonly sources = new Map<string, MediaStreamSource>();
  private readonly asking = new Map<string, Promise<MediaStreamSource | null>>();
  private readonly failures = new Map<string, MediaFailure>();

  constructor(private readonly askPage: AskPage) {}

  /** Handles a page's message; the answer (an ack, or the last failure) goes back on `reply` when given. */
  onMessage(message: PageToWorker, reply?: MessagePort): void {
    let answer: unknown = true;
    if (message.type === "umbra-media-register") this.sources.set(message.token, message.source);
    else if (message.type === "umbra-media-forget") this.forget(message.token);
    else if (message.type === "umbra-media-forget-all") {
      this.sources.clear();
      this.failures.clear();
    } else answer = this.failures.get(message.token) ?? null;
    reply?.postMessage(answer);
  }

  /** The source of `token` for a request about `fileId`, from memory or from the page that asked. */
  async get(token: string, fileId: string, clientId: string): Promise<MediaStreamSource | null> {
    let source = this.sources.get(token);
    if (!source && clientId) {
      let pending = this.asking.get(token);
      if (!pending) {
        pending = this.askPage(clientId, token).finally(() => this.asking.delete(token));
        this.asking.set(token, pending);
      }
      source = (await pending) ?? undefined;
      if (source) this.sources.set(token, source);
    }
    return source && source.fileId === fileId ? source : null;
  }

  recordFailure(token: string, failure: MediaFailure): void {
    this.failures.set(token, failure);
  }

  private forget(token: string): void {
    this.sources.delete(token);
    this.failures.delete(token);
  }
}
