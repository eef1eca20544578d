import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  commitFile,
  serverPerFile,
  signupAndLogin,
  storeFile,
  uploadBytes,
} from "./harness.js";

const QUOTA = 20_000;
// harness commitFile sends 300 + 900 bytes of thumbnails.
const THUMBS = 1200;

describe.each(backends)("quota ($name)", (backend) => {
  const running = serverPerFile(backend, { UMBRA_QUOTA_BYTES: String(QUOTA) });
  let base: string;
  beforeAll(() => {
    base = running.server().url;
  });

  const create = (token: string, length: number) =>
    fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "tus-resumable": "1.0.0",
        "upload-length": String(length),
      },
    });

  it("refuses an upload larger than the quota before storing a byte", async () => {
    const user = await signupAndLogin(base);
    const before = await fs.readdir(path.join(running.server().dataDir, "uploads"));
    const res = await create(user.token, QUOTA + 1);
    expect(res.status).toBe(507);
    expect(await res.json()).toMatchObject({ error: { code: "QUOTA_EXCEEDED" } });
    expect(await fs.readdir(path.join(running.server().dataDir, "uploads"))).toEqual(before);
    // creation-with-upload: the body is not stored either.
    const withBody = await fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${user.token}`,
        "tus-resumable": "1.0.0",
        "upload-length": String(QUOTA * 2),
        "content-type": "application/offset+octet-stream",
      },
      body: randomBytes(QUOTA * 2),
    });
    expect(withBody.status).toBe(507);
    expect(await fs.readdir(path.join(running.server().dataDir, "uploads"))).toEqual(before);
  });

  it("counts pending uploads and accounts exactly after delete and trash empty", async () => {
    const user = await signupAndLogin(base);
    const used = async () =>
      (await api<{ usedBytes: number }>(base, "GET", "/api/account", { token: user.token })).body.usedBytes;
    const a = await storeFile(base, user, randomBytes(8000));
    expect(await used()).toBe(8000 + THUMBS);
    // 9200 used; a pending 8000 leaves 2800: a 3000-byte upload does not fit, a 2800-byte one does.
    const pending = await create(user.token, 8000);
    expect(pending.status).toBe(201);
    expect((await create(user.token, 3000)).status).toBe(507);
    const fits = await create(user.token, 2800);
    expect(fits.status).toBe(201);
    // Terminating the pending upload frees its reservation.
    const del = await fetch(base + pending.headers.get("location")!, {
      method: "DELETE",
      headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0" },
    });
    expect(del.status).toBe(204);
    await fetch(base + fits.headers.get("location")!, {
      method: "DELETE",
      headers: { authorization: `Bearer ${user.token}`, "tus-resumable": "1.0.0" },
    });
    const b = await storeFile(base, user, randomBytes(5000));
    expect(await used()).toBe(8000 + 5000 + 2 * THUMBS);
    // Trashed files still count; deleted ones don't.
    await api(base, "POST", `/api/files/${a.id}/trash`, { token: user.token });
    expect(await used()).toBe(8000 + 5000 + 2 * THUMBS);
    expect((await api(base, "DELETE", `/api/files/${a.id}`, { token: user.token })).status).toBe(204);
    expect(await used()).toBe(5000 + THUMBS);
    await api(base, "POST", `/api/files/${b.id}/trash`, { token: user.token });
    expect((await api(base, "POST", "/api/trash/empty", { token: user.token })).body).toEqual({ deleted: 1 });
    expect(await used()).toBe(0);
    // The whole quota is usable again (content + thumbnails exactly at the limit).
    const full = await uploadBytes(base, user.token, randomBytes(QUOTA - THUMBS));
    const committed = await commitFile(base, user.token, full, { albumId: user.libraryAlbumId });
    expect(committed.status).toBe(201);
    expect(await used()).toBe(QUOTA);
    expect((await create(user.token, 1)).status).toBe(507);
  });

  it("refuses a commit whose thumbnails would exceed the quota", async () => {
    const user = await signupAndLogin(base);
    const uploadId = await uploadBytes(base, user.token, randomBytes(QUOTA - 100));
    const res = await commitFile(base, user.token, uploadId, { albumId: user.libraryAlbumId });
    expect(res.status).toBe(507);
    expect(res.body).toMatchObject({ error: { code: "QUOTA_EXCEEDED" } });
  });
});
