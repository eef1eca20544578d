import type { Db } from "./db.js";

/**
 * Reserves `count` consecutive sequence numbers for a user's changes and returns the first. Updating the user
 * row locks it until commit, so transactions commit in sequence order and a sync cursor never skips a change.
 */
export async function allocateSeq(trx: Db, userId: string, count = 1): Promise<number> {
  const row = await trx
    .updateTable("users")
    .set((eb) => ({ seq: eb("seq", "+", count) }))
    .where("id", "=", userId)
    .returning("seq")
    .executeTakeFirstOrThrow();
  return Number(row.seq) - count + 1;
}

/** True when a client-chosen id names a live object of `table` or a deleted one (ids are never reused). */
export async function objectIdTaken(db: Db, table: "files" | "albums", id: string): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select("id")
    .where("id", "=", id)
    .unionAll(db.selectFrom("tombstones").select("object_id as id").where("object_id", "=", id))
    .executeTakeFirst();
  return row !== undefined;
}
