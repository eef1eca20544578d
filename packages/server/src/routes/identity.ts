import {
  type KeyBundle,
  SetIdentityBody,
  UserIdParams,
  UserKeysResponse,
  UserLookupQuery,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { conflict, HttpError, notFound } from "../http-error.js";
import type { Db } from "../records.js";
import { requireSession, sessionOf } from "../session-auth.js";

const noIdentity = () => notFound("user with sharing keys");

async function userKeys(db: Db, where: { id: string } | { email: string }) {
  let query = db.selectFrom("users").select(["id", "email", "key_bundle"]);
  query = "id" in where ? query.where("id", "=", where.id) : query.where("email", "=", where.email);
  const row = await query.executeTakeFirst();
  if (!row) throw noIdentity();
  const bundle = JSON.parse(row.key_bundle) as KeyBundle;
  if (!bundle.publicKeys) throw noIdentity();
  return { userId: row.id, email: row.email, publicKeys: bundle.publicKeys };
}

/** Publishing a sharing identity, and looking up other users' public keys (which clients verify and pin). */
export function identityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.put(
      "/api/account/identity",
      { schema: { body: SetIdentityBody, response: { 204: z.null() } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const { publicKeys, wrappedPrivateKeys } = request.body;
        if (publicKeys.userId !== userId) {
          throw new HttpError(400, "VALIDATION_FAILED", "publicKeys.userId must be the caller's user id");
        }
        await ctx.db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom("users")
            .select("key_bundle")
            .where("id", "=", userId)
            .executeTakeFirstOrThrow();
          const bundle = JSON.parse(row.key_bundle) as KeyBundle;
          // Keys are set once: a later change would look exactly like a server swapping them (SPEC §17.3).
          if (bundle.publicKeys) {
            if (JSON.stringify(bundle.publicKeys) === JSON.stringify(publicKeys)) return;
            throw conflict("IDENTITY_EXISTS", "this account already has sharing keys");
          }
          await trx
            .updateTable("users")
            .set({ key_bundle: JSON.stringify({ ...bundle, publicKeys, wrappedPrivateKeys }) })
            .where("id", "=", userId)
            .execute();
        });
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

export { userKeys };
