import type { SessionsResponse } from "@umbra/protocol";
import { notFound } from "../http-error.js";
import { nowIso, randomBase64Url, sha256Hex } from "../tokens.js";
import type { Db } from "./db.js";

/** lastUsedAt is refreshed at most this often, so reads don't turn into a write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** A new session for the user; only the token's hash is stored. */
export async function createSession(
  db: Db,
  userId: string,
  deviceName: string,
  ttlMs: number,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomBase64Url(32);
  const now = nowIso();
  const expiresAt = new Date(Date.now() + ttlMs).toISOString();
  await db
    .insertInto("sessions")
    .values({
      id: `s_${randomBase64Url(16)}`,
      user_id: userId,
      token_hash: sha256Hex(token),
      device_name: deviceName,
      created_at: now,
      last_used_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

/** The live session a bearer token names (its last use noted), or null. */
export async function liveSession(db: Db, token: string): Promise<{ id: string; userId: string } | null> {
  const now = nowIso();
  const row = await db
    .selectFrom("sessions")
    .select(["id", "user_id", "last_used_at", "expires_at"])
    .where("token_hash", "=", sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return null;
  if (Date.parse(now) - Date.parse(row.last_used_at) > LAST_USED_GRANULARITY_MS) {
    await db.updateTable("sessions").set({ last_used_at: now }).where("id", "=", row.id).execute();
  }
  return { id: row.id, userId: row.user_id };
}

export async function listSessions(db: Db, userId: string, currentId: string): Promise<SessionsResponse> {
  const rows = await db
    .selectFrom("sessions")
    .selectAll()
    .where("user_id", "=", userId)
    .where("expires_at", ">", nowIso())
    .orderBy("created_at")
    .execute();
  return {
    sessions: rows.map((row) => ({
      id: row.id,
      deviceName: row.device_name,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at,
      current: row.id === currentId,
    })),
  };
}

/** Ends one of the user's sessions; someone else's is 404. */
export async function deleteSession(db: Db, userId: string, sessionId: string): Promise<void> {
  const result = await db
    .deleteFrom("sessions")
    .where("id", "=", sessionId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound("session");
}

/** Ends every session of the user but `keepId` (none: all of them); returns how many ended. */
export async function deleteSessionsOf(db: Db, userId: string, keepId?: string): Promise<number> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepId !== undefined) query = query.where("id", "!=", keepId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends the session itself (logout). */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

/** Whether the session still exists and has not expired (an open event stream checks it now and then). */
export async function sessionAlive(db: Db, sessionId: string): Promise<boolean> {
  const row = await db
    .selectFrom("sessions")
    .select("id")
    .where("id", "=", sessionId)
    .where("expires_at", ">", nowIso())
    .executeTakeFirst();
  return row !== undefined;
}
