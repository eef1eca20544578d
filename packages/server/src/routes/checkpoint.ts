import {
  CheckpointHeadResponse,
  CheckpointResponse,
  MAX_CHECKPOINT_CHARS,
  MAX_CHECKPOINT_HEAD_CHARS,
  PutCheckpointBody,
  PutCheckpointResponse,
} from "@umbra/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.js";
import { notifyChange } from "../events/notify.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { checkpointCounter, putCheckpoint, readCheckpoint, readCheckpointHead } from "../store/checkpoint.js";

/**
 * Sends the ETag of `counter`, and true after answering 304 when the device already holds it: no body (a large
 * library's checkpoint is megabytes). Untyped and without a payload: a 304 must carry no body and no Content-Length.
 */
function answeredUnchanged(request: FastifyRequest, reply: FastifyReply, counter: number): boolean {
  reply.header("etag", `"${counter}"`).header("cache-control", "no-store");
  if (request.headers["if-none-match"] !== `"${counter}"`) return false;
  reply.code(304).send();
  return true;
}

/** The library checkpoint: one sealed value per user, which only the user's devices can read or make. */
export function checkpointRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get(
      "/api/library/checkpoint",
      { schema: { response: { 200: CheckpointResponse } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        if (answeredUnchanged(request, reply, await checkpointCounter(ctx.db, userId))) return reply;
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
        if (answeredUnchanged(request, reply, answer.counter)) return reply;
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
