import * as opaque from "@serenity-kit/opaque";
import {
  ErrorBody,
  type KeyBundle,
  LoginFinishBody,
  LoginFinishResponse,
  LoginStartBody,
  LoginStartResponse,
  RecoverFinishBody,
  RecoverStartBody,
  RecoverStartResponse,
  RegistrationResponse,
  SignupFinishBody,
  SignupFinishResponse,
  SignupStartBody,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { conflict, HttpError, invalidCredentials } from "../http-error.js";
import { createSession, requireSession, sessionOf } from "../session-auth.js";
import { constantTimeEqual, isoIn, nowIso, randomBase64Url, sha256 } from "../tokens.js";

const LOGIN_STATE_TTL_MS = 2 * 60_000;
const RECOVERY_STATE_TTL_MS = 10 * 60_000;
/** Compared against when the email is unknown, so both paths do the same work. */
const DUMMY_VERIFIER = Buffer.alloc(32);

const opaqueFailure = () => new HttpError(400, "BAD_OPAQUE_MESSAGE", "malformed OPAQUE message");
const invalidRecovery = () => new HttpError(401, "INVALID_RECOVERY", "recovery failed");

function registrationResponse(ctx: AppContext, email: string, registrationRequest: string): string {
  try {
    return opaque.server.createRegistrationResponse({
      serverSetup: ctx.opaqueSetup,
      userIdentifier: email,
      registrationRequest,
    }).registrationResponse;
  } catch {
    throw opaqueFailure();
  }
}

/** Takes (reads and deletes) a pending login or recovery state; expired or unknown → null. */
async function takeAuthState(ctx: AppContext, id: string, kind: "login" | "recovery") {
  const row = await ctx.db
    .deleteFrom("auth_states")
    .where("id", "=", id)
    .where("kind", "=", kind)
    .returning(["user_id", "state", "expires_at"])
    .executeTakeFirst();
  if (!row || row.expires_at <= nowIso()) return null;
  return row;
}

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/api/auth/signup/start",
      { schema: { body: SignupStartBody, response: { 200: RegistrationResponse } } },
      async (request) => ({
        registrationResponse: registrationResponse(ctx, request.body.email, request.body.registrationRequest),
      }),
    );

    app.post(
      "/api/auth/signup/finish",
      { schema: { body: SignupFinishBody, response: { 201: SignupFinishResponse, 409: ErrorBody } } },
      async (request, reply) => {
        const { email, registrationRecord, keyBundle, recoveryVerifier, libraryAlbum } = request.body;
        const now = nowIso();
        try {
          await ctx.db.transaction().execute(async (trx) => {
            const taken = await trx
              .selectFrom("users")
              .select("id")
              .where((eb) => eb.or([eb("email", "=", email), eb("id", "=", keyBundle.userId)]))
              .executeTakeFirst();
            if (taken) throw conflict("ACCOUNT_EXISTS", "an account with this email or id exists");
            await trx
              .insertInto("users")
              .values({
                id: keyBundle.userId,
                email,
                opaque_record: registrationRecord,
                key_bundle: JSON.stringify(keyBundle),
                recovery_verifier: recoveryVerifier,
                seq: 1,
                used_bytes: 0,
                created_at: now,
              })
              .execute();
            await trx
              .insertInto("albums")
              .values({
                id: libraryAlbum.id,
                user_id: keyBundle.userId,
                kind: "library",
                encrypted_name: libraryAlbum.encryptedName,
                wrapped_album_key: libraryAlbum.wrappedAlbumKey,
                created_at: now,
                updated_at: now,
                seq: 1,
              })
              .execute();
          });
        } catch (error) {
          if (isUniqueViolation(error))
            throw conflict("ACCOUNT_EXISTS", "an account with this email or id exists");
          throw error;
        }
        return reply.code(201).send({ userId: keyBundle.userId });
      },
    );

    app.post(
      "/api/auth/login/start",
      { schema: { body: LoginStartBody, response: { 200: LoginStartResponse } } },
      async (request) => {
        const { email, startLoginRequest } = request.body;
        ctx.throttle.hit(request.ip, email);
        const user = await ctx.db
          .selectFrom("users")
          .select(["id", "opaque_record"])
          .where("email", "=", email)
          .executeTakeFirst();
        let result: { serverLoginState: string; loginResponse: string };
        try {
          // A null record makes the library answer with a fake one: an unknown email looks like a wrong password.
          result = opaque.server.startLogin({
            serverSetup: ctx.opaqueSetup,
            registrationRecord: user?.opaque_record ?? null,
            startLoginRequest,
            userIdentifier: email,
          });
        } catch {
          throw opaqueFailure();
        }
        const loginId = randomBase64Url(32);
        await ctx.db
          .insertInto("auth_states")
          .values({
            id: loginId,
            kind: "login",
            user_id: user?.id ?? null,
            state: result.serverLoginState,
            expires_at: isoIn(LOGIN_STATE_TTL_MS),
          })
          .execute();
        return { loginId, loginResponse: result.loginResponse };
      },
    );

    app.post(
      "/api/auth/login/finish",
      { schema: { body: LoginFinishBody, response: { 200: LoginFinishResponse } } },
      async (request) => {
        const { loginId, finishLoginRequest, deviceName } = request.body;
        const state = await takeAuthState(ctx, loginId, "login");
        if (!state) throw invalidCredentials();
        try {
          opaque.server.finishLogin({ serverLoginState: state.state, finishLoginRequest });
        } catch {
          throw invalidCredentials();
        }
        if (!state.user_id) throw invalidCredentials();
        const user = await ctx.db
          .selectFrom("users")
          .select(["id", "email", "key_bundle"])
          .where("id", "=", state.user_id)
          .executeTakeFirst();
        if (!user) throw invalidCredentials();
        ctx.throttle.succeeded(user.email);
        const { token, expiresAt } = await createSession(ctx, user.id, deviceName);
        return { token, userId: user.id, expiresAt, keyBundle: JSON.parse(user.key_bundle) as KeyBundle };
      },
    );

    app.post(
      "/api/auth/logout",
      { onRequest: requireSession(ctx), schema: { response: { 204: z.null() } } },
      async (request, reply) => {
        await ctx.db.deleteFrom("sessions").where("id", "=", sessionOf(request).id).execute();
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/auth/recover/start",
      { schema: { body: RecoverStartBody, response: { 200: RecoverStartResponse } } },
      async (request) => {
        const { email, recoveryAuthKey, registrationRequest } = request.body;
        ctx.throttle.hit(request.ip, email);
        const user = await ctx.db
          .selectFrom("users")
          .select(["id", "key_bundle", "recovery_verifier"])
          .where("email", "=", email)
          .executeTakeFirst();
        const expected = user ? Buffer.from(user.recovery_verifier, "base64url") : DUMMY_VERIFIER;
        const matches = constantTimeEqual(sha256(Buffer.from(recoveryAuthKey, "base64url")), expected);
        if (!user || !matches) throw invalidRecovery();
        const response = registrationResponse(ctx, email, registrationRequest);
        const recoveryId = randomBase64Url(32);
        await ctx.db
          .insertInto("auth_states")
          .values({
            id: recoveryId,
            kind: "recovery",
            user_id: user.id,
            state: "",
            expires_at: isoIn(RECOVERY_STATE_TTL_MS),
          })
          .execute();
        const bundle = JSON.parse(user.key_bundle) as KeyBundle;
        return {
          recoveryId,
          userId: user.id,
          recoveryWrappedMasterKey: bundle.recoveryWrappedMasterKey,
          registrationResponse: response,
        };
      },
    );

    app.post(
      "/api/auth/recover/finish",
      { schema: { body: RecoverFinishBody, response: { 204: z.null() } } },
      async (request, reply) => {
        const { recoveryId, registrationRecord, passwordWrappedMasterKey, kdf } = request.body;
        const state = await takeAuthState(ctx, recoveryId, "recovery");
        if (!state?.user_id) throw invalidRecovery();
        const userId = state.user_id;
        await ctx.db.transaction().execute(async (trx) => {
          const user = await trx
            .selectFrom("users")
            .select(["key_bundle", "email"])
            .where("id", "=", userId)
            .executeTakeFirst();
          if (!user) throw invalidRecovery();
          const bundle = { ...(JSON.parse(user.key_bundle) as KeyBundle), passwordWrappedMasterKey, kdf };
          await trx
            .updateTable("users")
            .set({ opaque_record: registrationRecord, key_bundle: JSON.stringify(bundle) })
            .where("id", "=", userId)
            .execute();
          await trx.deleteFrom("sessions").where("user_id", "=", userId).execute();
          ctx.throttle.succeeded(user.email);
        });
        return reply.code(204).send(null);
      },
    );
  };
}
