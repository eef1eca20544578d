import { isoIn, nowIso, randomBase64Url } from "../tokens.js";
import type { Db } from "./db.js";

type AuthStateKind = "login" | "recovery";

/** Keeps a pending login or recovery step for `ttlMs`; returns its id, the client's handle on it. */
export async function putAuthState(
  db: Db,
  kind: AuthStateKind,
  userId: string | null,
  state: string,
  ttlMs: number,
): Promise<string> {
  const id = randomBase64Url(32);
  await db
    .insertInto("auth_states")
    .values({ id, kind, user_id: userId, state, expires_at: isoIn(ttlMs) })
    .execute();
  return id;
}

/** Takes (reads and deletes) a pending login or recovery state; expired or unknown → null. */
export async function takeAuthState(db: Db, id: string, kind: AuthStateKind) {
  const row = await db
    .deleteFrom("auth_states")
    .where("id", "=", id)
    .where("kind", "=", kind)
    .returning(["user_id", "state", "expires_at"])
    .executeTakeFirst();
  if (!row || row.expires_at <= nowIso()) return null;
  return row;
}
