import type { FastifyRequest } from "fastify";
import type { AppContext } from "./context.js";
import { unauthorized } from "./http-error.js";
import { liveSession } from "./store/sessions.js";

export interface SessionInfo {
  id: string;
  userId: string;
}

declare module "fastify" {
  interface FastifyRequest {
    session: SessionInfo | null;
  }
}

export function bearerToken(header: string | undefined): string | null {
  const match = header && /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
  return match ? match[1]! : null;
}

/** Resolves the bearer token to a live session, or throws 401. */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<SessionInfo> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw unauthorized();
  const session = await liveSession(ctx.db, token);
  if (!session) throw unauthorized();
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
