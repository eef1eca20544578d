import { describe, expect, it } from "vitest";
import { type ChangeHint, EventParser, watchChanges } from "./change-events.js";

/** A fetch whose answers the test scripts, one per call: event text to stream, then the stream stays open or ends. */
function scriptedFetch(answers: Array<{ status?: number; chunks?: string[]; hold?: boolean }>) {
  const calls: RequestInit[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    calls.push(init);
    const answer = answers.shift() ?? { hold: true };
    if (answer.status && answer.status !== 200) return new Response(null, { status: answer.status });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of answer.chunks ?? []) controller.enqueue(encoder.encode(chunk));
        if (!answer.hold) controller.close();
        init.signal?.addEventListener("abort", () => controller.error(new Error("aborted")));
      },
    });
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
  }) as unknown as typeof fetch;
  return { fetchImpl, calls };
}

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("the change-event stream", () => {
  it("parses events split anywhere, skipping comments and retry lines", () => {
    const parser = new EventParser();
    expect(parser.push("retry: 5000\n\nevent: ready\ndata: {}\n\n: ping\n\nevent: chan")).toEqual([
      { event: "ready", data: "{}" },
    ]);
    expect(parser.push('ged\r\ndata: {"n":1,"kind":"library"}\r\n\r\n')).toEqual([
      { event: "changed", data: '{"n":1,"kind":"library"}' },
    ]);
  });

  it("hands on hints, reconnects with backoff after a drop (asking for a resync) and stops on signed-out", async () => {
    const { fetchImpl, calls } = scriptedFetch([
      { chunks: ['event: ready\ndata: {}\n\nevent: changed\ndata: {"n":1,"kind":"checkpoint"}\n\n'] },
      { status: 503 },
      { chunks: ["event: ready\ndata: {}\n\n", 'event: changed\ndata: {"n":1,"kind":"odd"}\n\n'] },
      { chunks: ["event: signed-out\ndata: {}\n\n"], hold: true },
    ]);
    const hints: ChangeHint[] = [];
    let signedOut = 0;
    watchChanges(
      {
        serverUrl: "http://x/",
        token: () => "tok",
        fetch: fetchImpl,
        backoff: { baseDelayMs: 1, maxDelayMs: 2 },
      },
      { changed: (hint) => hints.push(hint), signedOut: () => signedOut++ },
    );
    await until(() => signedOut === 1);
    expect(hints).toEqual(["checkpoint", "resync", "library"]);
    expect(calls).toHaveLength(4);
    expect(new Headers(calls[0]!.headers).get("authorization")).toBe("Bearer tok");
  });

  it("takes a 401 as the end of the session; stopping ends a held stream without a word", async () => {
    const denied = scriptedFetch([{ status: 401 }]);
    let signedOut = 0;
    watchChanges(
      { serverUrl: "http://x", token: () => "tok", fetch: denied.fetchImpl },
      { changed: () => {}, signedOut: () => signedOut++ },
    );
    await until(() => signedOut === 1);

    const held = scriptedFetch([{ chunks: ["event: ready\ndata: {}\n\n"], hold: true }]);
    const stop = watchChanges(
      { serverUrl: "http://x", token: () => "tok", fetch: held.fetchImpl, backoff: { baseDelayMs: 1 } },
      { changed: () => {}, signedOut: () => signedOut++ },
    );
    await until(() => held.calls.length === 1);
    stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held.calls).toHaveLength(1);
    expect(signedOut).toBe(1);
  });
});
