import type { MediaStreamSource } from "@umbra/client";
import { describe, expect, it } from "vitest";
import { mediaPath, parseMediaPath } from "./media-messages.js";
import { WorkerSources } from "./worker-sources.js";

const TOKEN = "AAAAAAAAAAAAAAAAAAAAAA";
const source = (fileId: string) => ({ fileId }) as unknown as MediaStreamSource;

/** A MessagePort stand-in that keeps what was posted. */
function port() {
  const posted: unknown[] = [];
  return { posted, port: { postMessage: (m: unknown) => posted.push(m) } as unknown as MessagePort };
}

describe("WorkerSources", () => {
  it("serves a registered source for its own file only, and acknowledges", async () => {
    const sources = new WorkerSources(async () => null);
    const reply = port();
    sources.onMessage({ type: "umbra-media-register", token: TOKEN, source: source("f_1") }, reply.port);
    expect(reply.posted).toEqual([true]);
    expect(await sources.get(TOKEN, "f_1", "client")).toEqual(source("f_1"));
    expect(await sources.get(TOKEN, "f_2", "client")).toBeNull();
  });

  it("a worker that lost its sources asks the page once, however many requests wait", async () => {
    let asked = 0;
    let answer: (s: MediaStreamSource | null) => void = () => {};
    const sources = new WorkerSources((clientId, token) => {
      asked++;
      expect([clientId, token]).toEqual(["client", TOKEN]);
      return new Promise((resolve) => {
        answer = resolve;
      });
    });
    const both = Promise.all([sources.get(TOKEN, "f_1", "client"), sources.get(TOKEN, "f_1", "client")]);
    answer(source("f_1"));
    expect(await both).toEqual([source("f_1"), source("f_1")]);
    expect(asked).toBe(1);
    expect(await sources.get(TOKEN, "f_1", "client")).toEqual(source("f_1"));
    expect(asked).toBe(1);
  });

  it("forget and forget-all drop sources and failures; the page that has none gets nothing back", async () => {
    const sources = new WorkerSources(async () => null);
    sources.onMessage({ type: "umbra-media-register", token: TOKEN, source: source("f_1") });
    sources.recordFailure(TOKEN, { kind: "integrity", code: "TAMPERED", message: "x" });
    const reply = port();
    sources.onMessage({ type: "umbra-media-last-failure", token: TOKEN }, reply.port);
    expect(reply.posted).toEqual([{ kind: "integrity", code: "TAMPERED", message: "x" }]);
    sources.onMessage({ type: "umbra-media-forget-all" });
    expect(await sources.get(TOKEN, "f_1", "client")).toBeNull();
    const after = port();
    sources.onMessage({ type: "umbra-media-last-failure", token: TOKEN }, after.port);
    expect(after.posted).toEqual([null]);
  });
});

describe("media paths", () => {
  it("round-trip, and refuse anything else", () => {
    expect(parseMediaPath(mediaPath(TOKEN, "f_abc"))).toEqual({ token: TOKEN, fileId: "f_abc" });
    expect(parseMediaPath("/media/short/f_abc")).toBeNull();
    expect(parseMediaPath(`/media/${TOKEN}/f_abc/extra`)).toBeNull();
    expect(parseMediaPath("/api/files/f_abc/content")).toBeNull();
  });
});
