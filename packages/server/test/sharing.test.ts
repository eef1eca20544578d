import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  backends,
  newId,
  randomB64,
  serverPerFile,
  signupAndLogin,
  storeFile,
  type TestUser,
} from "./harness.js";

/** Stand-ins of the right sizes: the server stores sharing material unread (clients verify it). */
const publicKeysOf = (userId: string) => ({
  version: 1,
  userId,
  hpkePublicKey: randomB64(1216),
  signingPublicKey: randomB64(32),
  signature: randomB64(64),
});
const wrappedPrivateKeys = () => ({
  version: 1,
  hpkePrivateKey: randomB64(60),
  signingPrivateKey: randomB64(60),
});

function memberBody(albumId: string, owner: TestUser, grantee: TestUser, role: string, keyVersion = 1) {
  return {
    role,
    keyVersion,
    sealedAlbumKey: randomB64(1169),
    grant: {
      version: 1,
      albumId,
      granteeUserId: grantee.userId,
      role,
      keyVersion,
      sealedKeyDigest: randomB64(32),
      grantedBy: owner.userId,
      issuedAt: new Date().toISOString(),
      signature: randomB64(64),
    },
  };
}

const signed = (keyVersion = 1) => ({
  wrappedFileKey: randomB64(60),
  keyVersion,
  contentDigest: randomB64(32),
  signature: randomB64(64),
});

describe.each(backends)("sharing API ($name)", (backend) => {
  const running = serverPerFile(backend);
  let base: string;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let albumId: string;
  let aliceFile: { id: string };

  beforeAll(async () => {
    base = running.server().url;
    [alice, bob, carol] = await Promise.all([
      signupAndLogin(base),
      signupAndLogin(base),
      signupAndLogin(base),
    ]);
    albumId = newId("a");
    await api(base, "POST", "/api/albums", {
      token: alice.token,
      body: { id: albumId, encryptedName: randomB64(20), wrappedAlbumKey: randomB64(60) },
    });
    aliceFile = await storeFile(base, alice, randomBytes(300), albumId);
  });

  it("publishes an identity once and looks users up by email or id", async () => {
    const put = (user: TestUser, publicKeys: unknown) =>
      api(base, "PUT", "/api/account/identity", {
        token: user.token,
        body: { publicKeys, wrappedPrivateKeys: wrappedPrivateKeys() },
      });
    expect((await put(alice, publicKeysOf(bob.userId))).status).toBe(400);
    const keys = publicKeysOf(alice.userId);
    expect((await put(alice, keys)).status).toBe(204);
    expect((await put(alice, keys)).status).toBe(204);
    const other = await put(alice, publicKeysOf(alice.userId));
    expect([other.status, (other.body as { error: { code: string } }).error.code]).toEqual([
      409,
      "IDENTITY_EXISTS",
    ]);
    expect((await put(bob, publicKeysOf(bob.userId))).status).toBe(204);

    const byEmail = await api(
      base,
      "GET",
      `/api/users/lookup?email=${encodeURIComponent(alice.email.toUpperCase())}`,
      {
        token: bob.token,
      },
    );
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toEqual({ userId: alice.userId, email: alice.email, publicKeys: keys });
    expect((await api(base, "GET", `/api/users/${alice.userId}/keys`, { token: bob.token })).status).toBe(
      200,
    );
    // Carol has published nothing: nobody can share with her yet.
    expect((await api(base, "GET", `/api/users/${carol.userId}/keys`, { token: bob.token })).status).toBe(
      404,
    );
    expect(
      (await api(base, "GET", "/api/users/lookup?email=nobody%40example.com", { token: bob.token })).status,
    ).toBe(404);
    expect((await api(base, "GET", `/api/users/${alice.userId}/keys`)).status).toBe(401);
  });

  it("grants: only the owner, only matching grants, the current key version, never the library", async () => {
    const put = (user: TestUser, album: string, grantee: TestUser, body: unknown) =>
      api(base, "PUT", `/api/albums/${album}/members/${grantee.userId}`, { token: user.token, body });
    const good = memberBody(albumId, alice, bob, "viewer");
    expect((await put(alice, albumId, carol, memberBody(albumId, alice, carol, "viewer"))).status).toBe(404);
    expect(
      (await put(alice, albumId, bob, { ...good, grant: { ...good.grant, granteeUserId: carol.userId } }))
        .status,
    ).toBe(400);
    expect(
      (await put(alice, albumId, bob, { ...good, grant: { ...good.grant, role: "contributor" } })).status,
    ).toBe(400);
    expect((await put(alice, albumId, bob, memberBody(albumId, alice, bob, "viewer", 2))).status).toBe(409);
    expect(
      (await put(alice, alice.libraryAlbumId, bob, memberBody(alice.libraryAlbumId, alice, bob, "viewer")))
        .status,
    ).toBe(409);
    expect((await put(bob, albumId, bob, good)).status).toBe(404);
    const ok = await put(alice, albumId, bob, good);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      ownerId: alice.userId,
      keyVersion: 1,
      members: [{ userId: bob.userId, role: "viewer" }],
    });
    // A member may not grant.
    expect((await put(bob, albumId, bob, good)).status).toBe(403);
  });

  it("members read the album and its files; strangers get 404; viewers cannot add", async () => {
    const files = await api<{ files: { id: string; uploaderId: string }[] }>(
      base,
      "GET",
      `/api/albums/${albumId}/files`,
      {
        token: bob.token,
      },
    );
    expect(files.status).toBe(200);
    expect(files.body.files.map((f) => [f.id, f.uploaderId])).toEqual([[aliceFile.id, alice.userId]]);
    expect((await api(base, "GET", `/api/files/${aliceFile.id}/content`, { token: bob.token })).status).toBe(
      200,
    );
    expect(
      (await api(base, "GET", `/api/files/${aliceFile.id}/thumbnails/grid`, { token: bob.token })).status,
    ).toBe(200);
    const shared = await api<{ albums: { id: string }[] }>(base, "GET", "/api/shared", { token: bob.token });
    expect(shared.body.albums.map((a) => a.id)).toEqual([albumId]);
    for (const path of [
      `/api/albums/${albumId}/files`,
      `/api/albums/${albumId}/members`,
      `/api/files/${aliceFile.id}/content`,
    ]) {
      expect((await api(base, "GET", path, { token: carol.token })).status, path).toBe(404);
    }
    // Bob's file metadata in Alice's album stays out of Bob's own records and vice versa.
    const bobFile = await storeFile(base, bob, randomBytes(100));
    expect(
      (
        await api(base, "PUT", `/api/albums/${albumId}/files/${bobFile.id}`, {
          token: bob.token,
          body: signed(),
        })
      ).status,
    ).toBe(403);
  });

  it("contributors add only their own files, signed, and remove only their own", async () => {
    const promote = await api(base, "PUT", `/api/albums/${albumId}/members/${bob.userId}`, {
      token: alice.token,
      body: memberBody(albumId, alice, bob, "contributor"),
    });
    expect(promote.status).toBe(200);
    const bobFile = await storeFile(base, bob, randomBytes(100));
    const place = (body: unknown, fileId = bobFile.id) =>
      api(base, "PUT", `/api/albums/${albumId}/files/${fileId}`, { token: bob.token, body });
    expect((await place({ wrappedFileKey: randomB64(60) })).status).toBe(400);
    expect((await place(signed(2))).status).toBe(409);
    expect((await place(signed(), aliceFile.id)).status).toBe(404);
    expect((await place(signed())).status).toBe(204);
    const listed = await api<{ files: { id: string; signature: string | null }[] }>(
      base,
      "GET",
      `/api/albums/${albumId}/files`,
      {
        token: alice.token,
      },
    );
    expect(listed.body.files.map((f) => f.id)).toEqual([aliceFile.id, bobFile.id]);
    expect((await api(base, "GET", `/api/files/${bobFile.id}/content`, { token: alice.token })).status).toBe(
      200,
    );
    // Bob's own record lists only his own albums.
    const record = await api<{ albums: { albumId: string }[] }>(base, "GET", `/api/files/${bobFile.id}`, {
      token: bob.token,
    });
    expect(record.body.albums.map((a) => a.albumId)).toEqual([bob.libraryAlbumId]);

    expect(
      (await api(base, "DELETE", `/api/albums/${albumId}/files/${aliceFile.id}`, { token: bob.token }))
        .status,
    ).toBe(403);
    expect(
      (await api(base, "DELETE", `/api/albums/${albumId}/files/${bobFile.id}`, { token: bob.token })).status,
    ).toBe(204);
    // The owner may remove anyone's placement.
    expect((await place(signed())).status).toBe(204);
    expect(
      (await api(base, "DELETE", `/api/albums/${albumId}/files/${bobFile.id}`, { token: alice.token }))
        .status,
    ).toBe(204);
  });

  it("removal goes through a rotation sealed to exactly the remaining members", async () => {
    const removeDirect = await api(base, "DELETE", `/api/albums/${albumId}/members/${bob.userId}`, {
      token: alice.token,
    });
    expect((removeDirect.body as { error: { code: string } }).error.code).toBe("ROTATION_REQUIRED");
    const rotate = (body: Record<string, unknown>) =>
      api(base, "POST", `/api/albums/${albumId}/rotate`, {
        token: alice.token,
        body: {
          remove: [bob.userId],
          keyVersion: 2,
          wrappedAlbumKey: randomB64(60),
          encryptedName: randomB64(20),
          previousKey: randomB64(60),
          members: [],
          ...body,
        },
      });
    expect((await rotate({ keyVersion: 3 })).status).toBe(409);
    expect((await rotate({ remove: [] })).status).toBe(409);
    expect((await rotate({})).status).toBe(200);
    expect((await api(base, "GET", `/api/albums/${albumId}/files`, { token: bob.token })).status).toBe(404);
    expect((await api(base, "GET", `/api/files/${aliceFile.id}/content`, { token: bob.token })).status).toBe(
      404,
    );
    const chain = await api(base, "GET", `/api/albums/${albumId}/key-chain`, { token: alice.token });
    expect(chain.body).toMatchObject({ keyVersion: 2, keyChain: [{ version: 1 }] });
    const albums = await api<{ albums: { id: string; keyVersion: number }[] }>(base, "GET", "/api/albums", {
      token: alice.token,
    });
    expect(albums.body.albums.find((a) => a.id === albumId)?.keyVersion).toBe(2);
  });

  it("a member can leave", async () => {
    await api(base, "PUT", "/api/account/identity", {
      token: carol.token,
      body: { publicKeys: publicKeysOf(carol.userId), wrappedPrivateKeys: wrappedPrivateKeys() },
    });
    const add = await api(base, "PUT", `/api/albums/${albumId}/members/${carol.userId}`, {
      token: alice.token,
      body: memberBody(albumId, alice, carol, "viewer", 2),
    });
    expect(add.status).toBe(200);
    expect(
      (await api(base, "DELETE", `/api/albums/${albumId}/members/${alice.userId}`, { token: carol.token }))
        .status,
    ).toBe(403);
    expect(
      (await api(base, "DELETE", `/api/albums/${albumId}/members/${carol.userId}`, { token: carol.token }))
        .status,
    ).toBe(204);
    expect((await api(base, "GET", `/api/albums/${albumId}/files`, { token: carol.token })).status).toBe(404);
  });

  it("public links: anonymous reads, no-download, 404 unknown, 410 revoked and expired", async () => {
    const create = (body: Record<string, unknown>, user = alice) => {
      const id = `l_${randomBytes(16).toString("base64url")}`;
      return api(base, "POST", "/api/links", {
        token: user.token,
        body: {
          id,
          kind: "album",
          targetId: albumId,
          wrappedKey: randomB64(60),
          keyVersion: 2,
          kdf: null,
          expiresAt: null,
          allowDownload: true,
          ...body,
        },
      }).then((res) => ({ ...res, id }));
    };
    expect((await create({}, bob)).status).toBe(404);
    expect((await create({ kind: "file" })).status).toBe(400);
    expect((await create({ expiresAt: "2001-01-01T00:00:00.000Z" })).status).toBe(400);
    const link = await create({});
    expect(link.status).toBe(201);
    const opened = await api<{ files: { id: string }[]; album: unknown }>(
      base,
      "GET",
      `/api/public/links/${link.id}`,
    );
    expect(opened.status).toBe(200);
    expect(opened.body.files.map((f) => f.id)).toEqual([aliceFile.id]);
    const content = `/api/public/links/${link.id}/files/${aliceFile.id}/content`;
    expect((await api(base, "GET", content)).status).toBe(200);
    const strangerFile = await storeFile(base, carol, randomBytes(10));
    expect(
      (await api(base, "GET", `/api/public/links/${link.id}/files/${strangerFile.id}/content`)).status,
    ).toBe(404);

    const viewOnly = await create({ kind: "file", targetId: aliceFile.id, allowDownload: false });
    expect(
      (await api(base, "GET", `/api/public/links/${viewOnly.id}/files/${aliceFile.id}/thumbnails/preview`))
        .status,
    ).toBe(200);
    expect(
      (await api(base, "GET", `/api/public/links/${viewOnly.id}/files/${aliceFile.id}/content`)).status,
    ).toBe(403);
    // A player streams a view-only link's video by Range; only the whole-file download is refused.
    const ranged = await fetch(`${base}/api/public/links/${viewOnly.id}/files/${aliceFile.id}/content`, {
      headers: { range: "bytes=0-3" },
    });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(4);

    expect(
      (await api(base, "GET", `/api/public/links/l_${randomBytes(16).toString("base64url")}`)).status,
    ).toBe(404);
    expect((await api(base, "DELETE", `/api/links/${link.id}`, { token: bob.token })).status).toBe(404);
    expect((await api(base, "DELETE", `/api/links/${link.id}`, { token: alice.token })).status).toBe(204);
    expect((await api(base, "GET", `/api/public/links/${link.id}`)).status).toBe(410);
    expect((await api(base, "GET", content)).status).toBe(410);

    const brief = await create({ expiresAt: new Date(Date.now() + 1200).toISOString() });
    expect((await api(base, "GET", `/api/public/links/${brief.id}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1400));
    expect((await api(base, "GET", `/api/public/links/${brief.id}`)).status).toBe(410);
    const mine = await api<{ links: { id: string; revokedAt: string | null }[] }>(base, "GET", "/api/links", {
      token: alice.token,
    });
    expect(mine.body.links.find((l) => l.id === link.id)?.revokedAt).toEqual(expect.any(String));
  });
});
