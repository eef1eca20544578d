import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, InvalidResponseError, NetworkError } from "./errors.js";
import { HttpTransport } from "./http.js";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A real local HTTP server answering with the given statuses in turn. */
async function serve(answers: { status: number; body?: unknown; headers?: Record<string, string> }[]) {
  let calls = 0;
  server = createServer((req, res) => {
    const answer = answers[Math.min(calls++, answers.length - 1)]!;
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    void req;
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, calls: () => calls };
}

const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

describe("HttpTransport", () => {
  it("retries 503 and 429 (with Retry-After) and then returns the answer, validated", async () => {
    const s = await serve([
      { status: 503 },
      { status: 429, headers: { "retry-after": "0" } },
      { status: 200, body: { ok: true } },
    ]);
    const http = new HttpTransport({ serverUrl: s.url, backoff: fast });
    expect(await http.json("/x", z.object({ ok: z.boolean() }))).toEqual({ ok: true });
    expect(s.calls()).toBe(3);
  });

  it("maps an error body to ApiError with the server's code and does not retry it", async () => {
    const s = await serve([{ status: 507, body: { error: { code: "QUOTA_EXCEEDED", message: "full" } } }]);
    const http = new HttpTransport({ serverUrl: s.url, backoff: fast });
    const error = await http.json("/x", null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("QUOTA_EXCEEDED");
    expect(s.calls()).toBe(1);
  });

  it("rejects an answer that does not match the schema", async () => {
    const s = await serve([{ status: 200, body: { ok: "yes" } }]);
    const http = new HttpTransport({ serverUrl: s.url, backoff: fast });
    await expect(http.json("/x", z.object({ ok: z.boolean() }))).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it("gives up on an unreachable server after the bounded attempts with a NETWORK error", async () => {
    let attempts = 0;
    const http = new HttpTransport({
      serverUrl: "http://127.0.0.1:9",
      backoff: fast,
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const error = await http.json("/x", null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("NETWORK");
    expect(attempts).toBe(4);
  });
});
