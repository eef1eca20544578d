import { type BackoffOptions, backoffDelay } from "@umbra/client";

/**
 * What the server's event stream (`GET /api/events`) hints at. Hints only: the server could lie or stay silent,
 * so the app answers a hint by syncing through the SDK's checked routes, never by trusting the event.
 * `resync` is the app's own: the stream came back after a break, during which hints may have been missed.
 */
export type ChangeHint = "library" | "checkpoint" | "shared" | "sessions" | "resync";

export interface ChangeHandlers {
  changed(hint: ChangeHint): void;
  /** The session was revoked (a `signed-out` event, or a 401 on reconnecting). The watch has stopped. */
  signedOut(): void;
}

export interface WatchOptions {
  serverUrl: string;
  /** The session's bearer token now (none: the watch stops). */
  token(): string | undefined;
  fetch?: typeof fetch;
  backoff?: Partial<BackoffOptions>;
  /** No byte for this long (the server pings every 25 s): the stream is taken as dead and reopened. */
  stallMs?: number;
}

const HINTS = new Set<string>(["library", "checkpoint", "shared", "sessions"]);
const RECONNECT: BackoffOptions = {
  attempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** One parsed Server-Sent Event. */
export interface StreamEvent {
  event: string;
  data: string;
}

/** Splits Server-Sent Events out of text as it arrives (comments and `retry:` lines are dropped). */
export class EventParser {
  private buffer = "";

  push(text: string): StreamEvent[] {
    this.buffer += text.replace(/\r\n?/g, "\n");
    const events: StreamEvent[] = [];
    for (let end = this.buffer.indexOf("\n\n"); end >= 0; end = this.buffer.indexOf("\n\n")) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length > 0 || event !== "message") events.push({ event, data: data.join("\n") });
    }
    return events;
  }
}

/** The hint a `changed` event names; anything else (a newer server's kind) is a plain library sync. */
function hintOf(data: string): ChangeHint {
  try {
    const kind = (JSON.parse(data) as { kind?: unknown }).kind;
    return typeof kind === "string" && HINTS.has(kind) ? (kind as ChangeHint) : "library";
  } catch {
    return "library";
  }
}

/**
 * Watches the session's event stream with fetch streaming (the bearer token in a header, as every API call: an
 * EventSource cannot send one), reopening it with backoff when it drops. Returns the function that stops it.
 */
export function watchChanges(options: WatchOptions, handlers: ChangeHandlers): () => void {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const backoff = { ...RECONNECT, ...options.backoff };
  const stallMs = options.stallMs ?? 60_000;
  const url = `${options.serverUrl.replace(/\/+$/, "")}/api/events`;
  let stopped = false;
  let current: AbortController | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** One connection: resolves when it ends; "signed-out" when the session is gone. */
  async function connect(connected: () => void): Promise<"ended" | "signed-out" | "no-session"> {
    const token = options.token();
    if (!token) return "no-session";
    const controller = new AbortController();
    current = controller;
    let stall: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(stall);
      stall = setTimeout(() => controller.abort(), stallMs);
    };
    try {
      alive();
      const response = await fetchImpl(url, {
        headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
        cache: "no-store",
        signal: controller.signal,
      });
      if (response.status === 401) {
        await response.body?.cancel().catch(() => {});
        return "signed-out";
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => {});
        return "ended";
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new EventParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || stopped) return "ended";
        alive();
        for (const { event, data } of parser.push(value)) {
          if (event === "ready") connected();
          else if (event === "changed") handlers.changed(hintOf(data));
          else if (event === "signed-out") return "signed-out";
        }
      }
    } catch {
      return "ended"; // Network error, stall or stop: the loop decides.
    } finally {
      clearTimeout(stall);
      controller.abort();
    }
  }

  void (async () => {
    let attempt = 0;
    let everConnected = false;
    while (!stopped) {
      const outcome = await connect(() => {
        attempt = 0;
        // Back after a break: whatever changed meanwhile was not hinted.
        if (everConnected) handlers.changed("resync");
        everConnected = true;
      });
      if (stopped || outcome === "no-session") return;
      if (outcome === "signed-out") {
        stopped = true;
        handlers.signedOut();
        return;
      }
      await pause(backoffDelay(Math.min(attempt, 10), backoff));
      attempt += 1;
    }
  })();

  return () => {
    stopped = true;
    current?.abort();
    wake?.();
  };
}
