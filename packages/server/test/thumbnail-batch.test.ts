import { randomBytes } from "node:crypto";
import { readFile, truncate } from "node:fs/promises";
import { THUMBNAIL_BATCH_ABSENT, THUMBNAIL_BATCH_MAX } from "@umbra/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import {
  backends,
  blobFile,
  commitFile,
  newId,
  serverPerFile,
  signupAndLogin,
  type TestUser,
  uploadBytes,
} from "./harness.js";

/** The frames of a batch answer: each thumbnail's bytes, or null where the server marked it absent. */
function frames(body: Buffer): (Buffer | null)[] {
  const out: (Buffer | null)[] = [];
  let at = 0;
  while (at < body.length) {
    const length = body.readUInt32BE(at);
    at += 4;
    if (length === THUMBNAIL_BATCH_ABSENT) out.push(null);
    else {
      out.push(body.subarray(at, at + length));
      at += length;
    }
  }
  return out;
}

describe.each(backends)("POST /api/thumbnails ($name)", (backend) => {
  const running = serverPerFile(backend);
  let base: string;
  let owner: TestUser;
  let stranger: TestUser;
  beforeAll(async () => {
    base = running.server().url;
    owner = await signupAndLogin(base);
    stranger = await signupAndLogin(base);
  });

  const batch = (user: TestUser | undefined, body: unknown) =>
    fetch(`${base}/api/thumbnails`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(user ? { authorization: `Bearer ${user.token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  async function stored(user: TestUser, grid: Uint8Array, preview = randomBytes(900)) {
    const uploadId = await uploadBytes(base, user.token, randomBytes(100));
    const res = await commitFile(base, user.token, uploadId, { albumId: user.libraryAlbumId, grid, preview });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, uploadId, grid, preview };
  }

  it("answers each asked thumbnail in order, and marks absent what the caller may not read", async () => {
    const a = await stored(owner, randomBytes(300));
    const b = await stored(owner, randomBytes(1200));
    const theirs = await stored(stranger, randomBytes(200));
    const unknown = newId("f");
    const res = await batch(owner, { variant: "grid", ids: [b.id, unknown, a.id, theirs.id] });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const got = frames(Buffer.from(await res.arrayBuffer()));
    expect(got).toEqual([Buffer.from(b.grid), null, Buffer.from(a.grid), null]);
    const previews = frames(
      Buffer.from(await (await batch(owner, { variant: "preview", ids: [a.id] })).arrayBuffer()),
    );
    expect(previews).toEqual([Buffer.from(a.preview)]);
    // The stranger gets their own and nothing of the owner's.
    const theirView = frames(
      Buffer.from(await (await batch(stranger, { variant: "grid", ids: [a.id, theirs.id] })).arrayBuffer()),
    );
    expect(theirView).toEqual([null, Buffer.from(theirs.grid)]);
  });

  it("marks absent a thumbnail cut short on disk, and logs both lengths", async () => {
    const cut = await stored(owner, randomBytes(500));
    const whole = await stored(owner, randomBytes(400));
    await truncate(blobFile(running.server(), `${cut.uploadId}.grid`), 100);
    const res = await batch(owner, { variant: "grid", ids: [cut.id, whole.id] });
    expect(res.status).toBe(200);
    expect(frames(Buffer.from(await res.arrayBuffer()))).toEqual([null, Buffer.from(whole.grid)]);
    for (;;) {
      const log = await readFile(running.server().logFile, "utf8").catch(() => "");
      const line = log.split("\n").find((l) => l.includes("BLOB_INCOMPLETE") && l.includes(cut.id));
      if (line) {
        expect(JSON.parse(line)).toMatchObject({ recordedBytes: 500, storedBytes: 100 });
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it("refuses a batch with no session, too many ids, repeated ids, no ids or another variant", async () => {
    const a = await stored(owner, randomBytes(100));
    expect((await batch(undefined, { variant: "grid", ids: [a.id] })).status).toBe(401);
    const many = Array.from({ length: THUMBNAIL_BATCH_MAX + 1 }, () => newId("f"));
    for (const body of [
      { variant: "grid", ids: many },
      { variant: "grid", ids: [a.id, a.id] },
      { variant: "grid", ids: [] },
      { variant: "original", ids: [a.id] },
      { variant: "grid", ids: ["../etc/passwd"] },
    ]) {
      const res = await batch(owner, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    }
  });
});
