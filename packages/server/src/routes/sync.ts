import { SyncQuery, SyncResponse } from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.js";
import { toAlbumRecord, toFileRecords } from "../records.js";
import { requireSession, sessionOf } from "../session-auth.js";

type Change =
  | { kind: "file"; seq: number; id: string }
  | { kind: "album"; seq: number; id: string }
  | { kind: "tombstone"; seq: number; id: string; object: "file" | "album" };

export function syncRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/sync",
      { onRequest: requireSession(ctx), schema: { querystring: SyncQuery, response: { 200: SyncResponse } } },
      async (request) => {
        const userId = sessionOf(request).userId;
        const since = Number(request.query.since);
        const limit = request.query.limit;
        return ctx.db.transaction().execute(async (trx) => {
          // Changes up to the user's committed seq only: a later commit has a higher seq (see allocateSeq).
          const user = await trx
            .selectFrom("users")
            .select("seq")
            .where("id", "=", userId)
            .executeTakeFirstOrThrow();
          const upper = Number(user.seq);
          const files = await trx
            .selectFrom("files")
            .select(["id", "seq"])
            .where("user_id", "=", userId)
            .where("seq", ">", since)
            .where("seq", "<=", upper)
            .orderBy("seq")
            .limit(limit + 1)
            .execute();
          const albums = await trx
            .selectFrom("albums")
            .select(["id", "seq"])
            .where("user_id", "=", userId)
            .where("seq", ">", since)
            .where("seq", "<=", upper)
            .orderBy("seq")
            .limit(limit + 1)
            .execute();
          // From a snapshot (since=0) deletions before it are irrelevant.
          const tombstones =
            since === 0
              ? []
              : await trx
                  .selectFrom("tombstones")
                  .select(["object_id", "kind", "seq"])
                  .where("user_id", "=", userId)
                  .where("seq", ">", since)
                  .where("seq", "<=", upper)
                  .orderBy("seq")
                  .limit(limit + 1)
                  .execute();
          const changes: Change[] = [
            ...files.map((f) => ({ kind: "file" as const, seq: Number(f.seq), id: f.id })),
            ...albums.map((a) => ({ kind: "album" as const, seq: Number(a.seq), id: a.id })),
            ...tombstones.map((t) => ({
              kind: "tombstone" as const,
              seq: Number(t.seq),
              id: t.object_id,
              object: t.kind,
            })),
          ].sort((a, b) => a.seq - b.seq);
          const page = changes.slice(0, limit);
          const hasMore = changes.length > limit;
          const fileIds = page.filter((c) => c.kind === "file").map((c) => c.id);
          const albumIds = page.filter((c) => c.kind === "album").map((c) => c.id);
          const fileRows =
            fileIds.length === 0
              ? []
              : await trx.selectFrom("files").selectAll().where("id", "in", fileIds).orderBy("seq").execute();
          const albumRows =
            albumIds.length === 0
              ? []
              : await trx
                  .selectFrom("albums")
                  .selectAll()
                  .where("id", "in", albumIds)
                  .orderBy("seq")
                  .execute();
          const deleted = page.filter((c) => c.kind === "tombstone");
          return {
            files: await toFileRecords(trx, fileRows),
            albums: albumRows.map(toAlbumRecord),
            deleted: {
              files: deleted.filter((d) => d.object === "file").map((d) => d.id),
              albums: deleted.filter((d) => d.object === "album").map((d) => d.id),
            },
            cursor: String(hasMore ? page[page.length - 1]!.seq : Math.max(upper, since)),
            hasMore,
          };
        });
      },
    );
  };
}
