import {
  CheckpointHeadResponse,
  CheckpointResponse,
  MAX_CHECKPOINT_CHARS,
  MAX_CHECKPOINT_HEAD_CHARS,
  PutCheckpointBody,
  PutCheckpointResponse,
} from "@umbra/protocol";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.js";
import { notifyChange } from "../events/notify.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { checkpointCounter, putCheckpoint, readCheckpoint, readCheckpointHead } from "../store/checkpoint.js";

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

    // The head alone: a few kilobytes a view reads before its first screen, where the checkpoint is megabytes.
    app.get(
      "/api/library/checkpoint/head",
      { schema: { response: { 200: CheckpointHeadResponse } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const answer = await readCheckpointHead(ctx.db, userId);
        reply.header("etag", `"${answer.counter}"`).header("cache-control", "no-store");
        if (request.headers["if-none-match"] === `"${answer.counter}"`)
          return (reply as FastifyReply).code(304).send();
        return answer;
      },
    );

    app.put(
      "/api/library/checkpoint",
      {
        // A large library's checkpoint exceeds the default body limit.
        bodyLimit: MAX_CHECKPOINT_CHARS + MAX_CHECKPOINT_HEAD_CHARS + 1024,
        schema: { body: PutCheckpointBody, response: { 200: PutCheckpointResponse } },
      },
      async (request) => {
        const { counter, checkpoint, head } = request.body;
        await putCheckpoint(ctx.db, sessionOf(request).userId, { counter, checkpoint, head });
        // A device's change is complete once it is vouched for: its other devices sync now.
        notifyChange(ctx, request, "checkpoint");
        return { counter };
      },
    );
  };
}
