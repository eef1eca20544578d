import { CheckpointResponse, MAX_CHECKPOINT_CHARS, PutCheckpointBody } from "@umbra/protocol";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.js";
import { conflict } from "../http-error.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { nowIso } from "../tokens.js";

/** The library checkpoint: one sealed value per user, which only the user's devices can read or make. */
export function checkpointRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get(
      "/api/library/checkpoint",
      { schema: { response: { 200: CheckpointResponse } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const current = await ctx.db
          .selectFrom("library_checkpoints")
          .select("counter")
          .where("user_id", "=", userId)
          .executeTakeFirst();
        const counter = current ? Number(current.counter) : 0;
        // A device that holds this counter's checkpoint already gets no body (a large library's is megabytes).
        reply.header("etag", `"${counter}"`).header("cache-control", "no-store");
        // Untyped and without a payload: a 304 must carry no body and no Content-Length (a client waits for it).
        if (request.headers["if-none-match"] === `"${counter}"`)
          return (reply as FastifyReply).code(304).send();
        const row = await ctx.db
          .selectFrom("library_checkpoints")
          .select(["counter", "checkpoint"])
          .where("user_id", "=", userId)
          .executeTakeFirst();
        return row
          ? { counter: Number(row.counter), checkpoint: row.checkpoint }
          : { counter: 0, checkpoint: null };
      },
    );

    app.put(
      "/api/library/checkpoint",
      {
        // A large library's checkpoint exceeds the default body limit.
        bodyLimit: MAX_CHECKPOINT_CHARS + 1024,
        schema: { body: PutCheckpointBody, response: { 200: CheckpointResponse } },
      },
      async (request) => {
        const userId = sessionOf(request).userId;
        const { counter, checkpoint } = request.body;
        await ctx.db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom("library_checkpoints")
            .select("counter")
            .where("user_id", "=", userId)
            .executeTakeFirst();
          const stored = row ? Number(row.counter) : 0;
          if (counter !== stored + 1) {
            throw conflict("CHECKPOINT_CONFLICT", `the stored checkpoint is ${stored}; send ${stored + 1}`);
          }
          const values = { counter, checkpoint, updated_at: nowIso() };
          if (row) {
            const updated = await trx
              .updateTable("library_checkpoints")
              .set(values)
              .where("user_id", "=", userId)
              .where("counter", "=", stored)
              .executeTakeFirst();
            if (Number(updated.numUpdatedRows) !== 1)
              throw conflict("CHECKPOINT_CONFLICT", "changed meanwhile");
          } else {
            await trx
              .insertInto("library_checkpoints")
              .values({ user_id: userId, ...values })
              .execute();
          }
        });
        return { counter, checkpoint };
      },
    );
  };
}
