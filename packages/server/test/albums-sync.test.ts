import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { api, backends, newId, randomB64, serverPerFile, signupAndLogin, storeFile } from "./harness.js";

describe.each(backends)("HTTP API: albums and sync ($name)", (backend) => {
  const running = serverPerFile(backend);
  let base: string;
  beforeAll(() => {
    base = running.server().url;
  });

  describe("albums", () => {
    it("creates, renames, shares files between albums and deletes albums", async () => {
      const user = await signupAndLogin(base);
      const albumId = newId("a");
      const created = await api<{ id: string; kind: string; seq: number }>(base, "POST", "/api/albums", {
        token: user.token,
        body: { id: albumId, encryptedName: randomB64(30), wrappedAlbumKey: randomB64(60) },
      });
      expect(created.status).toBe(201);
      expect(created.body.kind).toBe("user");
      const dup = await api(base, "POST", "/api/albums", {
        token: user.token,
        body: { id: albumId, encryptedName: randomB64(30), wrappedAlbumKey: randomB64(60) },
      });
      expect(dup.status).toBe(409);
      const name = randomB64(33);
      const renamed = await api<{ encryptedName: string }>(base, "PATCH", `/api/albums/${albumId}`, {
        token: user.token,
        body: { encryptedName: name },
      });
      expect(renamed.body.encryptedName).toBe(name);

      const shared = await storeFile(base, user, randomBytes(50));
      const only = await storeFile(base, user, randomBytes(50), albumId);
      const key = randomB64(60);
      expect(
        (
          await api(base, "PUT", `/api/albums/${albumId}/files/${shared.id}`, {
            token: user.token,
            body: { wrappedFileKey: key },
          })
        ).status,
      ).toBe(204);
      const record = await api<{ albums: { albumId: string; wrappedFileKey: string }[] }>(
        base,
        "GET",
        `/api/files/${shared.id}`,
        { token: user.token },
      );
      expect(record.body.albums.map((a) => a.albumId).sort()).toEqual([albumId, user.libraryAlbumId].sort());
      expect(record.body.albums.find((a) => a.albumId === albumId)?.wrappedFileKey).toBe(key);
      const last = await api(base, "DELETE", `/api/albums/${albumId}/files/${only.id}`, {
        token: user.token,
      });
      expect(last.status).toBe(409);
      expect(
        (await api(base, "DELETE", `/api/albums/${user.libraryAlbumId}`, { token: user.token })).status,
      ).toBe(409);
      expect((await api(base, "DELETE", `/api/albums/${albumId}`, { token: user.token })).status).toBe(204);
      const afterShared = await api<{ trashedAt: string | null; albums: unknown[] }>(
        base,
        "GET",
        `/api/files/${shared.id}`,
        {
          token: user.token,
        },
      );
      expect(afterShared.body).toMatchObject({ trashedAt: null, albums: [{ albumId: user.libraryAlbumId }] });
      const afterOnly = await api<{ trashedAt: string | null }>(base, "GET", `/api/files/${only.id}`, {
        token: user.token,
      });
      expect(afterOnly.body.trashedAt).toEqual(expect.any(String));
      const list = await api<{ albums: { id: string }[] }>(base, "GET", "/api/albums", { token: user.token });
      expect(list.body.albums.map((a) => a.id)).toEqual([user.libraryAlbumId]);
    });
  });

  describe("sync", () => {
    it("pages through changes with a monotonic cursor and reports tombstones", async () => {
      const user = await signupAndLogin(base);
      const files = [];
      for (let i = 0; i < 5; i++) files.push(await storeFile(base, user, randomBytes(20)));
      type Page = {
        files: { id: string; seq: number }[];
        albums: { id: string; seq: number }[];
        deleted: { files: string[]; albums: string[] };
        cursor: string;
        hasMore: boolean;
      };
      const seen: string[] = [];
      let cursor = "0";
      let pages = 0;
      for (;;) {
        const page = await api<Page>(base, "GET", `/api/sync?since=${cursor}&limit=2`, { token: user.token });
        expect(page.status).toBe(200);
        expect(page.body.files.length + page.body.albums.length).toBeLessThanOrEqual(2);
        expect(Number(page.body.cursor)).toBeGreaterThanOrEqual(Number(cursor));
        seen.push(...page.body.albums.map((a) => a.id), ...page.body.files.map((f) => f.id));
        cursor = page.body.cursor;
        pages++;
        if (!page.body.hasMore) break;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([user.libraryAlbumId, ...files.map((f) => f.id)]);
      const empty = await api<Page>(base, "GET", `/api/sync?since=${cursor}`, { token: user.token });
      expect(empty.body).toEqual({
        files: [],
        albums: [],
        deleted: { files: [], albums: [] },
        cursor,
        hasMore: false,
      });

      await api(base, "PATCH", `/api/files/${files[0]!.id}`, {
        token: user.token,
        body: { encryptedMetadata: randomB64(9) },
      });
      await api(base, "POST", `/api/files/${files[1]!.id}/trash`, { token: user.token });
      await api(base, "DELETE", `/api/files/${files[1]!.id}`, { token: user.token });
      const delta = await api<Page>(base, "GET", `/api/sync?since=${cursor}`, { token: user.token });
      expect(delta.body.files.map((f) => f.id)).toEqual([files[0]!.id]);
      expect(delta.body.deleted.files).toEqual([files[1]!.id]);
      expect(Number(delta.body.cursor)).toBeGreaterThan(Number(cursor));
      // A fresh snapshot leaves out what was deleted and lists no tombstones.
      const snapshot = await api<Page>(base, "GET", "/api/sync", { token: user.token });
      expect(snapshot.body.files).toHaveLength(4);
      expect(snapshot.body.deleted).toEqual({ files: [], albums: [] });
      expect(snapshot.body.cursor).toBe(delta.body.cursor);
      const bad = await api(base, "GET", "/api/sync?since=abc", { token: user.token });
      expect(bad.status).toBe(400);
    });
  });
});
