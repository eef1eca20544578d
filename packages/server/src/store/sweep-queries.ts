import { nowIso } from "../tokens.js";
import type { Db } from "./db.js";

// What the sweeper reads and removes in the database (sweeper.ts decides; blobs and upload files are its own).

/** Removes expired sessions and pending login/recovery steps. */
export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<=", nowIso()).execute();
  await db.deleteFrom("auth_states").where("expires_at", "<=", nowIso()).execute();
}

/** Files trashed at or before `cutoff` (ISO), grouped by owner. */
export async function trashedBefore(db: Db, cutoff: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom("files")
    .select(["id", "user_id"])
    .where("trashed_at", "is not", null)
    .where("trashed_at", "<=", cutoff)
    .execute();
  const byUser = new Map<string, string[]>();
  for (const f of rows) byUser.set(f.user_id, [...(byUser.get(f.user_id) ?? []), f.id]);
  return byUser;
}

/** Every pending upload of every user. */
export async function allUploads(db: Db) {
  return db.selectFrom("uploads").select(["id", "created_at"]).execute();
}

/** Every file row of every user, with its blob key and whether it is a live recording (no content blob yet). */
export async function allFiles(db: Db) {
  return db.selectFrom("files").select(["id", "user_id", "blob_key", "live_appended_at"]).execute();
}
