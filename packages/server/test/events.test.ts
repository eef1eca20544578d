import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  login,
  newId,
  randomB64,
  serverPerFile,
  signupAndLogin,
  storeFile,
  type TestUser,
} from "./harness.js";

interface ServerEvent {
  event: string;
  data: string;
}

/** An open `GET /api/events` stream, parsed as it arrives. */
interface EventStream {
  status: number;
  contentType: string | null;
  events: ServerEvent[];
  /** The next event named `name` after the `seen` first ones (all events so far by default), or a timeout. */
  next(name: string, timeoutMs?: number): Promise<ServerEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

async function openEvents(base: string, token?: string): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/events`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  const events: ServerEvent[] = [];
  let wake: () => void = () => {};
  let changed = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const notify = () => {
    wake();
    changed = new Promise<void>((resolve) => {
      wake = resolve;
    });
  };
  let done = false;
  const ended = (async () => {
    if (!response.body || !response.ok) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done: finished, value } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: data.join("\n") });
        }
        notify();
      }
    } catch {
      // Aborted by close().
    } finally {
      done = true;
      notify();
    }
  })();
  let consumed = 0;
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    events,
    async next(name, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex((e, i) => i >= consumed && e.event === name);
        if (index >= 0) {
          consumed = index + 1;
          return events[index]!;
        }
        if (done)
          throw new Error(`the stream ended before a "${name}" event (got ${JSON.stringify(events)})`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no "${name}" event in ${timeoutMs} ms (got ${JSON.stringify(events)})`);
        await Promise.race([changed, new Promise((resolve) => setTimeout(resolve, left))]);
      }
    },
    ended,
    close: () => controller.abort(),
  };
}

const kindOf = (event: ServerEvent) => (JSON.parse(event.data) as { n: number; kind: string }).kind;

/** A second session of the same user (another device). */
async function secondDevice(base: string, user: TestUser): Promise<TestUser> {
  const res = await login(base, user.email, user.password, "second device");
  if (res.status !== 200) throw new Error(`login ${res.status}`);
  return { ...user, token: res.body.token };
}

async function currentSessionId(base: string, token: string): Promise<string> {
  const res = await api<{ sessions: { id: string; current: boolean }[] }>(base, "GET", "/api/sessions", {
    token,
  });
  return res.body.sessions.find((s) => s.current)!.id;
}

describe.each(backends)("event stream ($name)", (backend) => {
  const running = serverPerFile(backend);
  let base: string;
  beforeAll(() => {
    base = running.server().url;
  });

  it("refuses a request without a live session", async () => {
    expect((await api(base, "GET", "/api/events")).status).toBe(401);
    expect((await api(base, "GET", "/api/events", { token: randomB64(32) })).status).toBe(401);
  });

  it("tells the user's other sessions about uploads, album changes and checkpoints, not the one that made them", async () => {
    const a = await signupAndLogin(base);
    const b = await secondDevice(base, a);
    const streamA = await openEvents(base, a.token);
    const streamB = await openEvents(base, b.token);
    try {
      expect(streamB.status).toBe(200);
      expect(streamB.contentType).toMatch(/^text\/event-stream/);
      await streamA.next("ready");
      await streamB.next("ready");

      await storeFile(base, a, randomBytes(100));
      const upload = await streamB.next("changed");
      expect(JSON.parse(upload.data)).toEqual({ n: 1, kind: "library" });

      const albumId = newId("a");
      const created = await api(base, "POST", "/api/albums", {
        token: a.token,
        body: { id: albumId, encryptedName: randomB64(30), wrappedAlbumKey: randomB64(60) },
      });
      expect(created.status).toBe(201);
      expect(JSON.parse((await streamB.next("changed")).data)).toEqual({ n: 2, kind: "library" });

      const put = await api(base, "PUT", "/api/library/checkpoint", {
        token: a.token,
        body: { counter: 1, checkpoint: randomB64(40) },
      });
      expect(put.status).toBe(200);
      expect(kindOf(await streamB.next("changed"))).toBe("checkpoint");

      // B's own change reaches A: A's first `changed` is this one (n = 1), so A heard none of its own.
      const renamed = await api(base, "PATCH", `/api/albums/${albumId}`, {
        token: b.token,
        body: { encryptedName: randomB64(30) },
      });
      expect(renamed.status).toBe(200);
      expect(JSON.parse((await streamA.next("changed")).data)).toEqual({ n: 1, kind: "library" });
      // Hints only: nothing of a record crosses the stream.
      for (const event of [...streamA.events, ...streamB.events]) {
        expect(event.data).not.toContain(albumId);
        expect(event.data).not.toContain(a.userId);
      }
    } finally {
      streamA.close();
      streamB.close();
    }
  });

  it("tells every member of an album about changes to its membership and its files", async () => {
    const [alice, bob] = await Promise.all([signupAndLogin(base), signupAndLogin(base)]);
    await api(base, "PUT", "/api/account/identity", {
      token: bob.token,
      body: {
        publicKeys: {
          version: 1,
          userId: bob.userId,
          hpkePublicKey: randomB64(1216),
          signingPublicKey: randomB64(32),
          signature: randomB64(64),
        },
        wrappedPrivateKeys: { version: 1, hpkePrivateKey: randomB64(60), signingPrivateKey: randomB64(60) },
      },
    });
    const albumId = newId("a");
    await api(base, "POST", "/api/albums", {
      token: alice.token,
      body: { id: albumId, encryptedName: randomB64(20), wrappedAlbumKey: randomB64(60) },
    });
    const bobStream = await openEvents(base, bob.token);
    try {
      await bobStream.next("ready");
      const granted = await api(base, "PUT", `/api/albums/${albumId}/members/${bob.userId}`, {
        token: alice.token,
        body: {
          role: "viewer",
          keyVersion: 1,
          sealedAlbumKey: randomB64(1169),
          grant: {
            version: 1,
            albumId,
            granteeUserId: bob.userId,
            role: "viewer",
            keyVersion: 1,
            sealedKeyDigest: randomB64(32),
            grantedBy: alice.userId,
            issuedAt: new Date().toISOString(),
            signature: randomB64(64),
          },
        },
      });
      expect(granted.status).toBe(200);
      expect(kindOf(await bobStream.next("changed"))).toBe("shared");

      await storeFile(base, alice, randomBytes(100), albumId);
      expect(kindOf(await bobStream.next("changed"))).toBe("shared");

      const rotated = await api(base, "POST", `/api/albums/${albumId}/rotate`, {
        token: alice.token,
        body: {
          remove: [bob.userId],
          keyVersion: 2,
          wrappedAlbumKey: randomB64(60),
          encryptedName: randomB64(20),
          previousKey: randomB64(60),
          members: [],
        },
      });
      expect(rotated.status).toBe(200);
      // The removed member is told too: its open view then finds the album gone.
      expect(kindOf(await bobStream.next("changed"))).toBe("shared");

      // No longer a member: later changes to the album are not Bob's business.
      await storeFile(base, alice, randomBytes(100), albumId);
      const heard = bobStream.events.length;
      await signupAndLogin(base); // Something unrelated, to let any stray event arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(bobStream.events.length).toBe(heard);
    } finally {
      bobStream.close();
    }
  });

  it("sends signed-out to a revoked session and ends its stream; the others hear about the sessions", async () => {
    const a = await signupAndLogin(base);
    const b = await secondDevice(base, a);
    const c = await secondDevice(base, a);
    const streamA = await openEvents(base, a.token);
    const streamB = await openEvents(base, b.token);
    const streamC = await openEvents(base, c.token);
    try {
      await Promise.all([streamA.next("ready"), streamB.next("ready"), streamC.next("ready")]);
      const idB = await currentSessionId(base, b.token);
      expect((await api(base, "DELETE", `/api/sessions/${idB}`, { token: a.token })).status).toBe(204);
      await streamB.next("signed-out");
      await streamB.ended;
      expect(kindOf(await streamA.next("changed"))).toBe("sessions");
      expect(kindOf(await streamC.next("changed"))).toBe("sessions");
      expect((await api(base, "GET", "/api/events", { token: b.token })).status).toBe(401);

      const others = await api<{ revoked: number }>(base, "POST", "/api/sessions/revoke-others", {
        token: a.token,
      });
      expect(others.body.revoked).toBe(1);
      await streamC.next("signed-out");
      await streamC.ended;

      expect((await api(base, "POST", "/api/auth/logout", { token: a.token })).status).toBe(204);
      await streamA.next("signed-out");
      await streamA.ended;
    } finally {
      streamA.close();
      streamB.close();
      streamC.close();
    }
  });
});
