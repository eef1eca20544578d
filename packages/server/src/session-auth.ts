import type { FastifyRequest } from "fastify";
import type { AppContext } from "./context.js";
import { unauthorized } from "./http-error.js";
import { nowIso, randomBase64Url, sha256Hex } from "./tokens.js";

export interface SessionInfo {
  id: string;
  userId: string;
}

declare module "fastify" {
  interface FastifyRequest {
    session: SessionInfo | null;
  }
}

/** lastUsedAt is refreshed at most this often, so reads don't turn into a write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export function bearerToken(header: string | undefined): string | null {
  const match = header && /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
  return match ? match[1]! : null;
}

/** Resolves the bearer token to a live session, or throws 401. */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<SessionInfo> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw unauthorized();
  const now = nowIso();
  const row = await ctx.db
    .selectFrom("sessions")
    .select(["id", "user_id", "last_used_at", "expires_at"])
    .where("token_hash", "=", sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now) throw unauthorized();
  if (Date.parse(now) - Date.parse(row.last_used_at) > LAST_USED_GRANULARITY_MS) {
    await ctx.db.updateTable("sessions").set({ last_used_at: now }).where("id", "=", row.id).execute();
  }
  const session = { id: row.id, userId: row.user_id };
  request.session = session;
  return session;
}

export function requireSession(ctx: AppContext) {
  return async (request: FastifyRequest) => {
    await authenticate(ctx, request);
  };
}

/** The authenticated user of a route guarded by requireSession. */
export function sessionOf(request: FastifyRequest): SessionInfo {
  if (!request.session) throw unauthorized();
  return request.session;
}

export async function createSession(
  ctx: AppContext,
  userId: string,
  deviceName: string,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomBase64Url(32);
  const now = nowIso();
  const expiresAt = new Date(Date.now() + ctx.config.sessionTtlMs).toISOString();
  await ctx.db
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
