import { SyncQuery, SyncResponse } from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { changesSince } from "../store/sync.js";

export function syncRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/sync",
      { onRequest: requireSession(ctx), schema: { querystring: SyncQuery, response: { 200: SyncResponse } } },
      async (request) =>
        changesSince(ctx.db, sessionOf(request).userId, Number(request.query.since), request.query.limit),
    );
  };
}
