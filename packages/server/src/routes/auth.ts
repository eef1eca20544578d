import * as opaque from "@serenity-kit/opaque";
import {
  ErrorBody,
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
import { HttpError, invalidCredentials } from "../http-error.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { putAuthState, takeAuthState } from "../store/auth-states.js";
import { createSession, endSession } from "../store/sessions.js";
import { createUser, findUser, keyBundleOf, recoverPassword, userByEmail } from "../store/users.js";
import { constantTimeEqual, sha256 } from "../tokens.js";

const LOGIN_STATE_TTL_MS = 2 * 60_000;
const RECOVERY_STATE_TTL_MS = 10 * 60_000;
/** Compared against when the email is unknown, so both paths do the same work. */
const DUMMY_VERIFIER = Buffer.alloc(32);

const opaqueFailure = () => new HttpError("BAD_OPAQUE_MESSAGE", "malformed OPAQUE message");
const invalidRecovery = () => new HttpError("INVALID_RECOVERY", "recovery failed");

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
        await createUser(ctx.db, request.body);
        return reply.code(201).send({ userId: request.body.keyBundle.userId });
      },
    );

    app.post(
      "/api/auth/login/start",
      { schema: { body: LoginStartBody, response: { 200: LoginStartResponse } } },
      async (request) => {
        const { email, startLoginRequest } = request.body;
        ctx.throttle.hit(request.ip, email);
        const user = await userByEmail(ctx.db, email);
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
        const loginId = await putAuthState(
          ctx.db,
          "login",
          user?.id ?? null,
          result.serverLoginState,
          LOGIN_STATE_TTL_MS,
        );
        return { loginId, loginResponse: result.loginResponse };
      },
    );

    app.post(
      "/api/auth/login/finish",
      { schema: { body: LoginFinishBody, response: { 200: LoginFinishResponse } } },
      async (request) => {
        const { loginId, finishLoginRequest, deviceName } = request.body;
        const state = await takeAuthState(ctx.db, loginId, "login");
        if (!state) throw invalidCredentials();
        try {
          opaque.server.finishLogin({ serverLoginState: state.state, finishLoginRequest });
        } catch {
          throw invalidCredentials();
        }
        if (!state.user_id) throw invalidCredentials();
        const user = await findUser(ctx.db, state.user_id);
        if (!user) throw invalidCredentials();
        ctx.throttle.succeeded(user.email);
        const { token, expiresAt } = await createSession(
          ctx.db,
          user.id,
          deviceName,
          ctx.config.sessionTtlMs,
        );
        ctx.notifier.changed([user.id], "sessions");
        return { token, userId: user.id, expiresAt, keyBundle: keyBundleOf(user) };
      },
    );

    app.post(
      "/api/auth/logout",
      { onRequest: requireSession(ctx), schema: { response: { 204: z.null() } } },
      async (request, reply) => {
        const session = sessionOf(request);
        await endSession(ctx.db, session.id);
        ctx.notifier.revoked(session.userId, { only: session.id });
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/auth/recover/start",
      { schema: { body: RecoverStartBody, response: { 200: RecoverStartResponse } } },
      async (request) => {
        const { email, recoveryAuthKey, registrationRequest } = request.body;
        ctx.throttle.hit(request.ip, email);
        const user = await userByEmail(ctx.db, email);
        const expected = user ? Buffer.from(user.recovery_verifier, "base64url") : DUMMY_VERIFIER;
        const matches = constantTimeEqual(sha256(Buffer.from(recoveryAuthKey, "base64url")), expected);
        if (!user || !matches) throw invalidRecovery();
        const response = registrationResponse(ctx, email, registrationRequest);
        const recoveryId = await putAuthState(ctx.db, "recovery", user.id, "", RECOVERY_STATE_TTL_MS);
        return {
          recoveryId,
          userId: user.id,
          recoveryWrappedMasterKey: keyBundleOf(user).recoveryWrappedMasterKey,
          registrationResponse: response,
        };
      },
    );

    app.post(
      "/api/auth/recover/finish",
      { schema: { body: RecoverFinishBody, response: { 204: z.null() } } },
      async (request, reply) => {
        const { recoveryId, ...password } = request.body;
        const state = await takeAuthState(ctx.db, recoveryId, "recovery");
        if (!state?.user_id) throw invalidRecovery();
        const email = await recoverPassword(ctx.db, state.user_id, password, invalidRecovery);
        ctx.notifier.revoked(state.user_id, "all");
        ctx.throttle.succeeded(email);
        return reply.code(204).send(null);
      },
    );
  };
}
