import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { notFound } from "../http-error.js";
import { nowIso } from "../tokens.js";
import type { Db } from "./db.js";
import { assertWithinQuota } from "./usage.js";

/**
 * Checks the quota and records a new upload as the user's, in one transaction, so two concurrent creations
 * cannot both fit in the same space.
 */
export async function reserveUpload(
  db: Kysely<Database>,
  userId: string,
  uploadId: string,
  size: number,
  quotaBytes: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await assertWithinQuota(trx, userId, size, quotaBytes);
    await trx
      .insertInto("uploads")
      .values({ id: uploadId, user_id: userId, size, created_at: nowIso() })
      .execute();
  });
}

/** An upload the caller created and has not committed yet; anyone else's is 404. */
export async function ownUpload(db: Db, userId: string, uploadId: string) {
  const row = await db
    .selectFrom("uploads")
    .selectAll()
    .where("id", "=", uploadId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!row) throw notFound("upload");
  return row;
}

/** Forgets a terminated upload (its bytes are the tus store's). */
export async function removeUpload(db: Db, uploadId: string): Promise<void> {
  await db.deleteFrom("uploads").where("id", "=", uploadId).execute();
}
