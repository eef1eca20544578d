import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

import { nowIso } from "../tokens.js";
import { ownRow } from "./access.js";
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

/** An upload the caller created and has not committed yet. */
export const ownUpload = (db: Db, userId: string, uploadId: string) =>
  ownRow(db, "uploads", userId, uploadId);

/** Forgets a terminated upload (its bytes are the tus store's). */
export async function removeUpload(db: Db, uploadId: string): Promise<void> {
  await db.deleteFrom("uploads").where("id", "=", uploadId).execute();
}
