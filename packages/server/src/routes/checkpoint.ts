import { CheckpointResponse, MAX_CHECKPOINT_CHARS, PutCheckpointBody } from "@umbra/protocol";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.js";
import { notifyChange } from "../events/notify.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { checkpointCounter, putCheckpoint, readCheckpoint } from "../store/checkpoint.js";

/** The library checkpoint: one sealed value per user, which only the user's devices can read or make. */
export function checkpointRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get(
      "/api/library/checkpoint",
      { schema: { response: { 200: CheckpointResponse } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const counter = await checkpointCounter(ctx.db, userId);
        // A device that holds this counter's checkpoint already gets no body (a large library's is megabytes).
        reply.header("etag", `"${counter}"`).header("cache-control", "no-store");
        // Untyped and without a payload: a 304 must carry no body and no Content-Length (a client waits for it).
        if (request.headers["if-none-match"] === `"${counter}"`)
          return (reply as FastifyReply).code(304).send();
        return readCheckpoint(ctx.db, userId);
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
        const { counter, checkpoint } = request.body;
        await putCheckpoint(ctx.db, sessionOf(request).userId, { counter, checkpoint });
        // A device's change is complete once it is vouched for: its other devices sync now.
        notifyChange(ctx, request, "checkpoint");
        return { counter, checkpoint };
      },
    );
  };
}
