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
import { deleteBlobs } from "../file-deletion.js";
import { HttpError, notFound } from "../http-error.js";
import { usedBytes } from "../records.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { nowIso } from "../tokens.js";

async function userRow(ctx: AppContext, userId: string) {
  const user = await ctx.db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
  if (!user) throw notFound("account");
  return user;
}

export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook("onRequest", requireSession(ctx));

    app.get("/api/account", { schema: { response: { 200: AccountResponse } } }, async (request) => {
      const user = await userRow(ctx, sessionOf(request).userId);
      return {
        userId: user.id,
        email: user.email,
        usedBytes: await usedBytes(ctx.db, user.id),
        quotaBytes: ctx.config.quotaBytes,
        createdAt: user.created_at,
      };
    });

    app.get("/api/account/keys", { schema: { response: { 200: KeyBundle } } }, async (request) => {
      const user = await userRow(ctx, sessionOf(request).userId);
      return JSON.parse(user.key_bundle) as KeyBundle;
    });

    app.post(
      "/api/account/password/start",
      { schema: { body: PasswordStartBody, response: { 200: RegistrationResponse } } },
      async (request) => {
        const user = await userRow(ctx, sessionOf(request).userId);
        try {
          return opaque.server.createRegistrationResponse({
            serverSetup: ctx.opaqueSetup,
            userIdentifier: user.email,
            registrationRequest: request.body.registrationRequest,
          });
        } catch {
          throw new HttpError(400, "BAD_OPAQUE_MESSAGE", "malformed OPAQUE message");
        }
      },
    );

    app.post(
      "/api/account/password/finish",
      { schema: { body: PasswordFinishBody, response: { 204: z.null() } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const { registrationRecord, passwordWrappedMasterKey, kdf } = request.body;
        await ctx.db.transaction().execute(async (trx) => {
          const user = await trx
            .selectFrom("users")
            .select("key_bundle")
            .where("id", "=", userId)
            .executeTakeFirst();
          if (!user) throw notFound("account");
          const bundle = { ...(JSON.parse(user.key_bundle) as KeyBundle), passwordWrappedMasterKey, kdf };
          await trx
            .updateTable("users")
            .set({ opaque_record: registrationRecord, key_bundle: JSON.stringify(bundle) })
            .where("id", "=", userId)
            .execute();
        });
        return reply.code(204).send(null);
      },
    );

    app.delete("/api/account", { schema: { response: { 204: z.null() } } }, async (request, reply) => {
      const userId = sessionOf(request).userId;
      const { blobKeys, uploadIds } = await ctx.db.transaction().execute(async (trx) => {
        const files = await trx
          .selectFrom("files")
          .select("blob_key")
          .where("user_id", "=", userId)
          .execute();
        const uploads = await trx.selectFrom("uploads").select("id").where("user_id", "=", userId).execute();
        // Sharing rows of the user's own albums (other members' placements included), then the user's own.
        const owned = (
          await trx.selectFrom("albums").select("id").where("user_id", "=", userId).execute()
        ).map((a) => a.id);
        if (owned.length > 0) {
          for (const table of ["album_files", "album_members", "album_key_chain"] as const) {
            await trx.deleteFrom(table).where("album_id", "in", owned).execute();
          }
        }
        for (const table of [
          "album_members",
          "links",
          "album_files",
          "files",
          "albums",
          "tombstones",
          "uploads",
          "sessions",
        ] as const) {
          await trx.deleteFrom(table).where("user_id", "=", userId).execute();
        }
        await trx.deleteFrom("auth_states").where("user_id", "=", userId).execute();
        await trx.deleteFrom("users").where("id", "=", userId).execute();
        return { blobKeys: files.map((f) => f.blob_key), uploadIds: uploads.map((u) => u.id) };
      });
      await deleteBlobs(ctx.blobs, blobKeys);
      for (const id of uploadIds) await ctx.tus.datastore.remove(id).catch(() => undefined);
      return reply.code(204).send(null);
    });

    app.get("/api/sessions", { schema: { response: { 200: SessionsResponse } } }, async (request) => {
      const session = sessionOf(request);
      const rows = await ctx.db
        .selectFrom("sessions")
        .selectAll()
        .where("user_id", "=", session.userId)
        .where("expires_at", ">", nowIso())
        .orderBy("created_at")
        .execute();
      return {
        sessions: rows.map((row) => ({
          id: row.id,
          deviceName: row.device_name,
          createdAt: row.created_at,
          lastUsedAt: row.last_used_at,
          expiresAt: row.expires_at,
          current: row.id === session.id,
        })),
      };
    });

    app.delete(
      "/api/sessions/:id",
      { schema: { params: z.object({ id: SessionId }), response: { 204: z.null() } } },
      async (request, reply) => {
        const result = await ctx.db
          .deleteFrom("sessions")
          .where("id", "=", request.params.id)
          .where("user_id", "=", sessionOf(request).userId)
          .executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) throw notFound("session");
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/sessions/revoke-others",
      { schema: { response: { 200: RevokeOthersResponse } } },
      async (request) => {
        const session = sessionOf(request);
        const result = await ctx.db
          .deleteFrom("sessions")
          .where("user_id", "=", session.userId)
          .where("id", "!=", session.id)
          .executeTakeFirst();
        return { revoked: Number(result.numDeletedRows) };
      },
    );
  };
}
