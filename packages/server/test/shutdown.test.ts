import { once } from "node:events";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { type RunningServer, startServer } from "@umbra/test-harness";
import { expect, it } from "vitest";
import { signupAndLogin } from "./harness.js";

/** Resolves once a file in `dir` holds at least `bytes` bytes (the server has taken them from the socket). */
async function untilFileHolds(dir: string, bytes: number): Promise<void> {
  for (;;) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (stat?.isFile() && stat.size >= bytes) return;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A tus PATCH of 8 bytes with the first 4 sent and on the server's disk: a request under way. */
async function halfSentPatch(server: RunningServer, agent?: http.Agent): Promise<http.ClientRequest> {
  const user = await signupAndLogin(server.url);
  const created = await fetch(`${server.url}/api/uploads`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0", "upload-length": "8" },
  });
  expect(created.status).toBe(201);
  const patch = http.request(`${server.url}${created.headers.get("location")}`, {
    method: "PATCH",
    agent,
    headers: {
      authorization: `Bearer ${user.token}`,
      "tus-resumable": "1.0.0",
      "upload-offset": "0",
      "content-type": "application/offset+octet-stream",
      "content-length": "8",
    },
  });
  patch.write(new Uint8Array(4));
  await untilFileHolds(path.join(server.dataDir, "uploads"), 4);
  return patch;
}

// A request still running when SIGTERM arrives leaves a keep-alive connection behind once it is answered: the
// server must close it and exit, not wait for the client's keep-alive (72 s on the server's side).
it("exits on SIGTERM after the requests it was serving, though their connections were kept alive", async () => {
  const server = await startServer({ runtime: "bundle" });
  const exited = once(server.process, "exit");
  const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 600_000 });
  try {
    const patch = await halfSentPatch(server, agent);
    const answered = once(patch, "response");
    server.process.kill("SIGTERM");
    patch.end(new Uint8Array(4));
    const [response] = (await answered) as [http.IncomingMessage];
    response.resume();
    await once(response, "end");
    expect(response.statusCode).toBe(204);
    await exited;
    expect(server.process.exitCode).toBe(0);
  } finally {
    agent.destroy();
    await server.stop();
  }
}, 60_000);

// A client that stops sending mid-request would hold a graceful stop open for the request timeout (minutes):
// past the grace period the server cuts what is still open, says so, and exits.
it("exits on SIGTERM although a client stalls mid-request, cutting its connection after the grace period", async () => {
  const server = await startServer({ runtime: "bundle" });
  const exited = once(server.process, "exit");
  try {
    const patch = await halfSentPatch(server);
    const cut = new Promise<void>((resolve) => {
      patch.on("error", () => resolve());
      patch.on("response", (response) => response.resume().on("end", () => resolve()));
    });
    server.process.kill("SIGTERM");
    await exited;
    await cut;
    expect(server.output()).toContain("cutting open connections");
  } finally {
    await server.stop();
  }
}, 60_000);

// An event stream (GET /api/events) never ends by itself: the server ends it first, so a stop takes no grace period.
it("exits on SIGTERM at once though event streams are open, ending them", async () => {
  const server = await startServer({ runtime: "bundle" });
  const exited = once(server.process, "exit");
  try {
    const user = await signupAndLogin(server.url);
    const stream = await fetch(`${server.url}/api/events`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // `ready`: subscribed.
    const started = Date.now();
    server.process.kill("SIGTERM");
    for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) break;
    await exited;
    expect(server.process.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await server.stop();
  }
}, 60_000);
