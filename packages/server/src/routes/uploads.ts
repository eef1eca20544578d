import { ErrorBody, UPLOAD_ID_PATTERN, UploadId } from "@umbra/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { HttpError, notFound } from "../http-error.js";
import { authenticate } from "../session-auth.js";
import { ownUpload } from "../store/uploads.js";
import { assertWithinQuota } from "../store/usage.js";
import { handleTusRequest } from "../tus/handle.js";
import { setRequestOwner, TUS_EXTENSIONS, UPLOADS_PATH } from "../tus/server.js";

const tusHeader = (description: string) => z.string().optional().describe(description);
const TUS_RESUMABLE_HEADER = tusHeader("tus protocol version: 1.0.0 (every request but OPTIONS)");
const AUTHORIZATION_HEADER = tusHeader("Bearer <session token> (every request but OPTIONS)");

/** What tus reads from each request, for the OpenAPI document (tus itself checks them, see documentedOnly). */
const CreateHeaders = z.object({
  authorization: AUTHORIZATION_HEADER,
  "tus-resumable": TUS_RESUMABLE_HEADER,
  "upload-length": tusHeader("the upload's total size in bytes (required; the quota is checked from it)"),
  "content-type": tusHeader("application/offset+octet-stream when the request carries the first bytes"),
});
const PatchHeaders = z.object({
  authorization: AUTHORIZATION_HEADER,
  "tus-resumable": TUS_RESUMABLE_HEADER,
  "upload-offset": tusHeader("the upload's current offset (bytes already received)"),
  "content-type": tusHeader("application/offset+octet-stream"),
});
const UploadHeaders = z.object({
  authorization: AUTHORIZATION_HEADER,
  "tus-resumable": TUS_RESUMABLE_HEADER,
});
const UploadParams = z.object({ id: UploadId });

const noBody = (description: string) => z.null().describe(description);
const refusals = {
  400: ErrorBody.describe("LENGTH_REQUIRED: no Upload-Length"),
  401: ErrorBody.describe("UNAUTHORIZED"),
  404: ErrorBody.describe("NOT_FOUND: no such upload of this user"),
  507: ErrorBody.describe("QUOTA_EXCEEDED"),
};

/**
 * The schemas above document the routes only: requests go to tus unvalidated, so its own answers (412 for a
 * wrong Tus-Resumable, 409 for a wrong offset…) stay the protocol's.
 */
const documentedOnly = () => () => true;

/** Authenticates, checks what the store decides (ownership, quota), then hands the request to tus. */
export function registerUploadRoutes(app: FastifyInstance, ctx: AppContext): void {
  // tus reads the raw request stream itself.
  app.addContentTypeParser("application/offset+octet-stream", (_request, _payload, done) => done(null));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const uploadId = (request.params as { id?: string }).id;
    let userId: string | undefined;
    if (request.method !== "OPTIONS") {
      userId = (await authenticate(ctx, request)).userId;
      if (uploadId !== undefined) {
        if (!UPLOAD_ID_PATTERN.test(uploadId)) throw notFound("upload");
        await ownUpload(ctx.db, userId, uploadId);
      } else if (request.method === "POST") {
        const length = request.headers["upload-length"];
        if (typeof length !== "string" || !/^\d{1,16}$/.test(length)) {
          throw new HttpError("LENGTH_REQUIRED", "Upload-Length is required");
        }
        // Early, before any byte is read; the reservation checks again in its transaction.
        await assertWithinQuota(ctx.db, userId, Number(length), ctx.config.quotaBytes);
      }
      setRequestOwner(request.raw, userId);
    }
    const { tus, db } = ctx;
    const { quotaBytes } = ctx.config;
    await handleTusRequest(
      { tus, db, quotaBytes, securityHeaders: ctx.securityHeaders, userId, uploadId },
      request,
      reply,
    );
  };
  const common = { handler, validatorCompiler: documentedOnly };
  const tags = ["uploads (tus 1.0)"];

  app.route({
    ...common,
    method: "OPTIONS",
    url: UPLOADS_PATH,
    schema: {
      tags,
      summary: "tus capabilities: Tus-Version, Tus-Max-Size and Tus-Extension (no session needed)",
      description: `Tus-Extension names exactly the extensions honoured: ${TUS_EXTENSIONS.join(", ")}.`,
      response: { 204: noBody("capabilities in headers") },
    },
  });
  app.route({
    ...common,
    method: "POST",
    url: UPLOADS_PATH,
    schema: {
      tags,
      summary: "tus creation (and creation-with-upload): reserves Upload-Length bytes of the quota",
      description: "Answers the upload's URL in Location and, with a body, the new Upload-Offset.",
      headers: CreateHeaders,
      response: { 201: noBody("created: Location, Upload-Offset"), ...refusals },
    },
  });
  app.route({
    ...common,
    method: "HEAD",
    // A HEAD route of its own (no GET twin): list it, which the OpenAPI plugin does not by default.
    config: { swagger: { exposeHeadRoute: true } },
    url: `${UPLOADS_PATH}/:id`,
    schema: {
      tags,
      summary: "tus offset: Upload-Offset and Upload-Length of one of the caller's uploads (to resume)",
      params: UploadParams,
      headers: UploadHeaders,
      response: { 200: noBody("Upload-Offset, Upload-Length, Upload-Expires"), 401: refusals[401] },
    },
  });
  app.route({
    ...common,
    method: "PATCH",
    url: `${UPLOADS_PATH}/:id`,
    schema: {
      tags,
      summary: "tus append: bytes at Upload-Offset",
      params: UploadParams,
      headers: PatchHeaders,
      response: {
        204: noBody("appended: the new Upload-Offset (and Upload-Expires while unfinished)"),
        401: refusals[401],
        404: refusals[404],
      },
    },
  });
  app.route({
    ...common,
    method: "DELETE",
    url: `${UPLOADS_PATH}/:id`,
    schema: {
      tags,
      summary: "tus termination: abandons one of the caller's uploads and frees its reservation",
      params: UploadParams,
      headers: UploadHeaders,
      response: { 204: noBody("terminated"), 401: refusals[401], 404: refusals[404] },
    },
  });
  app.route({
    ...common,
    method: "OPTIONS",
    url: `${UPLOADS_PATH}/:id`,
    schema: { tags, summary: "tus capabilities (as OPTIONS /api/uploads)", response: { 204: noBody("") } },
  });
}
