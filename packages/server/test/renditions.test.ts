import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  listFiles,
  newId,
  randomB64,
  serverPerFile,
  signupAndLogin,
  storeFile,
  type TestUser,
  uploadBytes,
} from "./harness.js";

const QUOTA = 60_000;
// harness commitFile sends 300 + 900 bytes of thumbnails.
const THUMBS = 1200;

function memberBody(albumId: string, owner: TestUser, grantee: TestUser) {
  const grant = {
    version: 1,
    albumId,
    granteeUserId: grantee.userId,
    role: "viewer",
    keyVersion: 1,
    sealedKeyDigest: randomB64(32),
    grantedBy: owner.userId,
    issuedAt: new Date().toISOString(),
    signature: randomB64(64),
  };
  return { role: "viewer", keyVersion: 1, sealedAlbumKey: randomB64(1169), grant };
}

describe.each(backends)("renditions ($name)", (backend) => {
  const running = serverPerFile(backend, { UMBRA_QUOTA_BYTES: String(QUOTA) });
  let base: string;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  beforeAll(async () => {
    base = running.server().url;
    [alice, bob, carol] = await Promise.all([
      signupAndLogin(base),
      signupAndLogin(base),
      signupAndLogin(base),
    ]);
    // Stand-ins of the right sizes: the server stores sharing material unread.
    const identity = await api(base, "PUT", "/api/account/identity", {
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
    expect(identity.status).toBe(204);
  });

  const used = async (user: TestUser) =>
    (await api<{ usedBytes: number }>(base, "GET", "/api/account", { token: user.token })).body.usedBytes;
  const put = async (user: TestUser, fileId: string, bytes: Uint8Array) =>
    api<{ size: number }>(base, "PUT", `/api/files/${fileId}/rendition`, {
      token: user.token,
      body: { uploadId: await uploadBytes(base, user.token, bytes) },
    });
  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(base + path, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  it("stores, serves by range, replaces and deletes a rendition, counting its bytes", async () => {
    const file = await storeFile(base, alice, randomBytes(5000));
    const path = `/api/files/${file.id}/rendition`;
    expect((await get(path, alice.token)).status).toBe(404);
    expect(await used(alice)).toBe(5000 + THUMBS);

    const first = randomBytes(3000);
    const stored = await put(alice, file.id, first);
    expect(stored).toMatchObject({ status: 200, body: { size: 3000 } });
    expect(await used(alice)).toBe(5000 + THUMBS + 3000);
    const whole = await get(path, alice.token);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("cache-control")).toBe("private, no-cache");
    expect(Buffer.from(await whole.arrayBuffer()).equals(first)).toBe(true);
    const part = await get(path, alice.token, { range: "bytes=100-199" });
    expect([part.status, part.headers.get("content-range")]).toEqual([206, "bytes 100-199/3000"]);
    expect(Buffer.from(await part.arrayBuffer()).equals(first.subarray(100, 200))).toBe(true);
    expect((await get(path, alice.token, { range: "bytes=3000-" })).status).toBe(416);
    const etag = whole.headers.get("etag")!;
    expect((await get(path, alice.token, { "if-none-match": etag })).status).toBe(304);

    // A replacement gets a new validator, so no cache keeps serving the old bytes.
    const second = randomBytes(2000);
    expect((await put(alice, file.id, second)).body).toEqual({ size: 2000 });
    expect(await used(alice)).toBe(5000 + THUMBS + 2000);
    const replaced = await get(path, alice.token, { "if-none-match": etag });
    expect(replaced.status).toBe(200);
    expect(Buffer.from(await replaced.arrayBuffer()).equals(second)).toBe(true);

    expect((await api(base, "DELETE", path, { token: alice.token })).status).toBe(204);
    expect((await get(path, alice.token)).status).toBe(404);
    expect((await api(base, "DELETE", path, { token: alice.token })).status).toBe(404);
    expect(await used(alice)).toBe(5000 + THUMBS);
  });

  it("refuses strangers, unfinished uploads, other people's uploads and a rendition over quota", async () => {
    const file = await storeFile(base, alice, randomBytes(1000));
    const path = `/api/files/${file.id}/rendition`;
    // Only the uploader may store one: another user's file is 404 as a missing one, so is their upload.
    expect((await put(bob, file.id, randomBytes(10))).status).toBe(404);
    const bobsUpload = await uploadBytes(base, bob.token, randomBytes(10));
    expect(
      (await api(base, "PUT", path, { token: alice.token, body: { uploadId: bobsUpload } })).status,
    ).toBe(404);
    const unfinished = await fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}`, "tus-resumable": "1.0.0", "upload-length": "100" },
    });
    const unfinishedId = unfinished.headers.get("location")!.split("/").pop()!;
    const incomplete = await api<{ error: { code: string } }>(base, "PUT", path, {
      token: alice.token,
      body: { uploadId: unfinishedId },
    });
    expect([incomplete.status, incomplete.body.error.code]).toEqual([409, "UPLOAD_INCOMPLETE"]);
    expect((await api(base, "PUT", path, { token: alice.token, body: { uploadId: "nope" } })).status).toBe(
      400,
    );

    expect((await put(alice, file.id, randomBytes(500))).status).toBe(200);
    expect((await get(path, bob.token)).status).toBe(404);
    expect((await get(path)).status).toBe(401);
    expect((await api(base, "DELETE", path, { token: bob.token })).status).toBe(404);

    // Its bytes count: a rendition filling the rest of the quota fits, and then not one more byte does.
    expect((await api(base, "DELETE", path, { token: alice.token })).status).toBe(204);
    const room = QUOTA - (await used(alice)) - 100; // the unfinished upload still holds its 100 bytes
    expect((await put(alice, file.id, randomBytes(room))).status).toBe(200);
    expect(await used(alice)).toBe(QUOTA - 100);
    const oneMore = await fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}`, "tus-resumable": "1.0.0", "upload-length": "1" },
    });
    expect(oneMore.status).toBe(507);
    expect((await api(base, "DELETE", path, { token: alice.token })).status).toBe(204);
  });

  it("album members and live links read it; deleting the file removes it and gives its bytes back", async () => {
    const albumId = newId("a");
    await api(base, "POST", "/api/albums", {
      token: alice.token,
      body: { id: albumId, encryptedName: randomB64(20), wrappedAlbumKey: randomB64(60) },
    });
    const file = await storeFile(base, alice, randomBytes(700), albumId);
    const rendition = randomBytes(400);
    expect((await put(alice, file.id, rendition)).status).toBe(200);
    expect(
      (
        await api(base, "PUT", `/api/albums/${albumId}/members/${bob.userId}`, {
          token: alice.token,
          body: memberBody(albumId, alice, bob),
        })
      ).status,
    ).toBe(200);
    const asBob = await get(`/api/files/${file.id}/rendition`, bob.token);
    expect(Buffer.from(await asBob.arrayBuffer()).equals(rendition)).toBe(true);
    expect((await get(`/api/files/${file.id}/rendition`, carol.token)).status).toBe(404);

    const linkId = `l_${randomBytes(16).toString("base64url")}`;
    const link = await api(base, "POST", "/api/links", {
      token: alice.token,
      body: {
        id: linkId,
        kind: "file",
        targetId: file.id,
        wrappedKey: randomB64(60),
        keyVersion: 1,
        kdf: null,
        expiresAt: null,
        allowDownload: false,
      },
    });
    expect(link.status).toBe(201);
    const publicPath = `/api/public/links/${linkId}/files/${file.id}/rendition`;
    const viaLink = await get(publicPath, undefined, { range: "bytes=0-9" });
    expect(viaLink.status).toBe(206);
    expect(Buffer.from(await viaLink.arrayBuffer()).equals(rendition.subarray(0, 10))).toBe(true);
    const other = await storeFile(base, alice, randomBytes(10));
    expect((await get(`/api/public/links/${linkId}/files/${other.id}/rendition`)).status).toBe(404);
    expect((await api(base, "DELETE", `/api/links/${linkId}`, { token: alice.token })).status).toBe(204);
    expect((await get(publicPath)).status).toBe(410);

    const renditionBlobs = async () =>
      (await listFiles(`${running.server().dataDir}/blobs`)).filter((p) => p.endsWith(".rendition")).length;
    const [before, blobsBefore] = [await used(alice), await renditionBlobs()];
    expect((await api(base, "POST", `/api/files/${file.id}/trash`, { token: alice.token })).status).toBe(200);
    expect((await api(base, "DELETE", `/api/files/${file.id}`, { token: alice.token })).status).toBe(204);
    expect(await used(alice)).toBe(before - 700 - THUMBS - 400);
    expect(await renditionBlobs()).toBe(blobsBefore - 1);
  });
});
