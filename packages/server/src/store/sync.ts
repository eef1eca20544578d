import type { SyncResponse } from "@umbra/protocol";
import type { ExpressionBuilder, Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { Db } from "./db.js";
import { toAlbumRecord, toFileRecords } from "./records.js";

type Change =
  | { kind: "file"; seq: number; id: string }
  | { kind: "album"; seq: number; id: string }
  | { kind: "tombstone"; seq: number; id: string; object: "file" | "album" };

/** A user's changes after `since` up to `upper`: the rows of any table numbered by the user's sequence. */
const inWindow =
  ({ userId, since, upper }: { userId: string; since: number; upper: number }) =>
  (eb: ExpressionBuilder<Database, "files" | "albums" | "tombstones">) =>
    eb.and([eb("user_id", "=", userId), eb("seq", ">", since), eb("seq", "<=", upper)]);

/** Up to `limit + 1` ids of the user's objects in `table` changed in (since, upper], in sequence order. */
async function changedIds(
  trx: Db,
  table: "files" | "albums",
  userId: string,
  since: number,
  upper: number,
  limit: number,
) {
  const rows = await trx
    .selectFrom(table)
    .select(["id", "seq"])
    .where(inWindow({ userId, since, upper }))
    .orderBy("seq")
    .limit(limit + 1)
    .execute();
  const kind = table === "files" ? ("file" as const) : ("album" as const);
  return rows.map((r) => ({ kind, seq: Number(r.seq), id: r.id }));
}

/**
 * One page of the user's changes after the cursor `since`: files, albums and (unless from a snapshot) deletions,
 * up to the user's committed sequence number only (a later commit has a higher seq, see allocateSeq).
 */
export async function changesSince(
  db: Kysely<Database>,
  userId: string,
  since: number,
  limit: number,
): Promise<SyncResponse> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select("seq")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    const upper = Number(user.seq);
    const files = await changedIds(trx, "files", userId, since, upper, limit);
    const albums = await changedIds(trx, "albums", userId, since, upper, limit);
    // From a snapshot (since=0) deletions before it are irrelevant.
    const tombstones =
      since === 0
        ? []
        : await trx
            .selectFrom("tombstones")
            .select(["object_id", "kind", "seq"])
            .where(inWindow({ userId, since, upper }))
            .orderBy("seq")
            .limit(limit + 1)
            .execute();
    const changes: Change[] = [
      ...files,
      ...albums,
      ...tombstones.map((t) => ({
        kind: "tombstone" as const,
        seq: Number(t.seq),
        id: t.object_id,
        object: t.kind,
      })),
    ].sort((a, b) => a.seq - b.seq);
    const page = changes.slice(0, limit);
    const hasMore = changes.length > limit;
    const idsOf = (kind: "file" | "album") => page.filter((c) => c.kind === kind).map((c) => c.id);
    const fileIds = idsOf("file");
    const albumIds = idsOf("album");
    const fileRows =
      fileIds.length === 0
        ? []
        : await trx.selectFrom("files").selectAll().where("id", "in", fileIds).orderBy("seq").execute();
    const albumRows =
      albumIds.length === 0
        ? []
        : await trx.selectFrom("albums").selectAll().where("id", "in", albumIds).orderBy("seq").execute();
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
}
