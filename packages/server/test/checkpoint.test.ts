import { beforeAll, describe, expect, it } from "vitest";
import { api, backends, randomB64, type TestUser } from "./harness.js";
import { signedInServerPerFile } from "./signed-in-server.js";

// The library checkpoint and its head (docs/PROTOCOL.md, "Library checkpoint"): stored unread, replaced together.
describe.each(backends)("library checkpoint and head ($name)", (backend) => {
  const server = signedInServerPerFile(backend);
  let base: string;
  let user: TestUser;
  beforeAll(() => {
    base = server.base();
    user = server.user();
  });
  const call = <T>(method: string, route: string, body?: unknown, headers?: Record<string, string>) =>
    api<T>(base, method, route, { token: user.token, body, headers });

  it("no checkpoint yet: the head is null with counter 0", async () => {
    const answer = await call("GET", "/api/library/checkpoint/head");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ counter: 0, head: null });
  });

  it("a head is stored with its checkpoint, answered alone, 304 for the counter held; a write without one clears it", async () => {
    const head = randomB64(300);
    const put = await call("PUT", "/api/library/checkpoint", {
      counter: 1,
      checkpoint: randomB64(4000),
      head,
    });
    expect(put.status).toBe(200);
    // The stored counter only: a large library's checkpoint is not sent back.
    expect(put.body).toEqual({ counter: 1 });
    const answer = await call<{ counter: number; head: string }>("GET", "/api/library/checkpoint/head");
    expect(answer.body).toEqual({ counter: 1, head });
    expect(answer.headers.get("etag")).toBe('"1"');
    const again = await call("GET", "/api/library/checkpoint/head", undefined, { "if-none-match": '"1"' });
    expect(again.status).toBe(304);
    await call("PUT", "/api/library/checkpoint", { counter: 2, checkpoint: randomB64(4000) });
    expect((await call("GET", "/api/library/checkpoint/head")).body).toEqual({ counter: 2, head: null });
  });

  it("a head that is not base64url is refused, and nothing is stored", async () => {
    const put = await call<{ error: { code: string } }>("PUT", "/api/library/checkpoint", {
      counter: 3,
      checkpoint: randomB64(100),
      head: "not base64url!",
    });
    expect(put.status).toBe(400);
    expect(put.body.error.code).toBe("VALIDATION_FAILED");
    expect((await call<{ counter: number }>("GET", "/api/library/checkpoint/head")).body.counter).toBe(2);
  });

  it("the head needs a session", async () => {
    expect((await api(base, "GET", "/api/library/checkpoint/head")).status).toBe(401);
  });
});
