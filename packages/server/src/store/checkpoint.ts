import type { CheckpointHeadResponse, CheckpointResponse, PutCheckpointBody } from "@umbra/protocol";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { HttpError } from "../http-error.js";
import { nowIso } from "../tokens.js";
import type { Db } from "./db.js";

/** The counter of the user's stored checkpoint (0: none yet). */
export async function checkpointCounter(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("library_checkpoints")
    .select("counter")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? Number(row.counter) : 0;
}

export async function readCheckpoint(db: Db, userId: string): Promise<CheckpointResponse> {
  const row = await db
    .selectFrom("library_checkpoints")
    .select(["counter", "checkpoint"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row
    ? { counter: Number(row.counter), checkpoint: row.checkpoint }
    : { counter: 0, checkpoint: null };
}

export async function readCheckpointHead(db: Db, userId: string): Promise<CheckpointHeadResponse> {
  const row = await db
    .selectFrom("library_checkpoints")
    .select(["counter", "head"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? { counter: Number(row.counter), head: row.head } : { counter: 0, head: null };
}

/** Stores the next checkpoint: its counter must be the stored one plus one, else CHECKPOINT_CONFLICT. */
export async function putCheckpoint(
  db: Kysely<Database>,
  userId: string,
  { counter, checkpoint, head }: PutCheckpointBody,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("library_checkpoints")
      .select("counter")
      .where("user_id", "=", userId)
      .executeTakeFirst();
    const stored = row ? Number(row.counter) : 0;
    if (counter !== stored + 1) {
      throw new HttpError("CHECKPOINT_CONFLICT", `the stored checkpoint is ${stored}; send ${stored + 1}`);
    }
    const values = { counter, checkpoint, head: head ?? null, updated_at: nowIso() };
    if (row) {
      const updated = await trx
        .updateTable("library_checkpoints")
        .set(values)
        .where("user_id", "=", userId)
        .where("counter", "=", stored)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1)
        throw new HttpError("CHECKPOINT_CONFLICT", "changed meanwhile");
    } else {
      await trx
        .insertInto("library_checkpoints")
        .values({ user_id: userId, ...values })
        .execute();
    }
  });
}
