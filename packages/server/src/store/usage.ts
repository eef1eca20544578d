import { quotaExceeded } from "../http-error.js";
import type { Db } from "./db.js";

/** Bytes a user's files hold (trashed ones count until deleted): the running total kept by `addUsedBytes`. */
export async function usedBytes(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom("users").select("used_bytes").where("id", "=", userId).executeTakeFirst();
  return Number(row?.used_bytes ?? 0);
}

/** Moves a user's running total by `delta` bytes, in the transaction that inserts or deletes the files. */
export async function addUsedBytes(trx: Db, userId: string, delta: number): Promise<void> {
  if (delta === 0) return;
  await trx
    .updateTable("users")
    .set((eb) => ({ used_bytes: eb("used_bytes", "+", delta) }))
    .where("id", "=", userId)
    .execute();
}

/** Bytes reserved by a user's unfinished or uncommitted uploads. */
export async function pendingBytes(db: Db, userId: string, exceptUploadId?: string): Promise<number> {
  let query = db
    .selectFrom("uploads")
    .select((eb) => eb.fn.sum<number>("size").as("total"))
    .where("user_id", "=", userId);
  if (exceptUploadId) query = query.where("id", "!=", exceptUploadId);
  const row = await query.executeTakeFirst();
  return Number(row?.total ?? 0);
}

/**
 * The one quota check: files held plus uploads reserved (but `exceptUploadId`, the one being committed) plus
 * `extraBytes` must fit, else QUOTA_EXCEEDED. Run it in the transaction that records the new bytes.
 */
export async function assertWithinQuota(
  db: Db,
  userId: string,
  extraBytes: number,
  quotaBytes: number,
  exceptUploadId?: string,
): Promise<void> {
  const used = await usedBytes(db, userId);
  const pending = await pendingBytes(db, userId, exceptUploadId);
  if (used + pending + extraBytes > quotaBytes) throw quotaExceeded();
}
