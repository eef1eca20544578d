import * as opaque from "@serenity-kit/opaque";
import {
  AccountResponse,
  KeyBundle,
  PasswordFinishBody,
  PasswordStartBody,
  RegistrationResponse,
  RevokeOthersResponse,
  SessionId,
  SessionsResponse,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { HttpError } from "../http-error.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { deleteBlobs } from "../store/file-deletion.js";
import { deleteSession, deleteSessionsOf, listSessions } from "../store/sessions.js";
import { usedBytes } from "../store/usage.js";
import { changePassword, deleteAccountRows, keyBundleOf, userRow } from "../store/users.js";
import { removeUploadBytes } from "../tus/finished-upload.js";

export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get("/api/account", { schema: { response: { 200: AccountResponse } } }, async (request) => {
      const user = await userRow(ctx.db, sessionOf(request).userId);
      return {
        userId: user.id,
        email: user.email,
        usedBytes: await usedBytes(ctx.db, user.id),
        quotaBytes: ctx.config.quotaBytes,
        createdAt: user.created_at,
      };
    });

    app.get("/api/account/keys", { schema: { response: { 200: KeyBundle } } }, async (request) =>
      keyBundleOf(await userRow(ctx.db, sessionOf(request).userId)),
    );

    app.post(
      "/api/account/password/start",
      { schema: { body: PasswordStartBody, response: { 200: RegistrationResponse } } },
      async (request) => {
        const user = await userRow(ctx.db, sessionOf(request).userId);
        try {
          return opaque.server.createRegistrationResponse({
            serverSetup: ctx.opaqueSetup,
            userIdentifier: user.email,
            registrationRequest: request.body.registrationRequest,
          });
        } catch {
          throw new HttpError("BAD_OPAQUE_MESSAGE", "malformed OPAQUE message");
        }
      },
    );

    app.post(
      "/api/account/password/finish",
      { schema: { body: PasswordFinishBody, response: { 204: z.null() } } },
      async (request, reply) => {
        await changePassword(ctx.db, sessionOf(request).userId, request.body);
        return reply.code(204).send(null);
      },
    );

    app.delete("/api/account", { schema: { response: { 204: z.null() } } }, async (request, reply) => {
      const { userId } = sessionOf(request);
      const { blobKeys, uploadIds } = await deleteAccountRows(ctx.db, userId);
      ctx.notifier.revoked(userId, "all");
      await deleteBlobs(ctx.blobs, blobKeys);
      await removeUploadBytes(ctx.tus, uploadIds);
      return reply.code(204).send(null);
    });

    app.get("/api/sessions", { schema: { response: { 200: SessionsResponse } } }, async (request) => {
      const session = sessionOf(request);
      return listSessions(ctx.db, session.userId, session.id);
    });

    app.delete(
      "/api/sessions/:id",
      { schema: { params: z.object({ id: SessionId }), response: { 204: z.null() } } },
      async (request, reply) => {
        const { userId } = sessionOf(request);
        await deleteSession(ctx.db, userId, request.params.id);
        ctx.notifier.revoked(userId, { only: request.params.id });
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/sessions/revoke-others",
      { schema: { response: { 200: RevokeOthersResponse } } },
      async (request) => {
        const session = sessionOf(request);
        const revoked = await deleteSessionsOf(ctx.db, session.userId, session.id);
        ctx.notifier.revoked(session.userId, { allBut: session.id });
        return { revoked };
      },
    );
  };
}
