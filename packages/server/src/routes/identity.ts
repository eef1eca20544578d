import { SetIdentityBody, UserIdParams, UserKeysResponse, UserLookupQuery } from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { setIdentity, userKeys } from "../store/users.js";

/** Publishing a sharing identity, and looking up other users' public keys (which clients verify and pin). */
export function identityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.put(
      "/api/account/identity",
      { schema: { body: SetIdentityBody, response: { 204: z.null() } } },
      async (request, reply) => {
        await setIdentity(ctx.db, sessionOf(request).userId, request.body);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/users/lookup",
      { schema: { querystring: UserLookupQuery, response: { 200: UserKeysResponse } } },
      async (request) => userKeys(ctx.db, { email: request.query.email }),
    );

    app.get(
      "/api/users/:id/keys",
      { schema: { params: UserIdParams, response: { 200: UserKeysResponse } } },
      async (request) => userKeys(ctx.db, { id: request.params.id }),
    );
  };
}
