import type { Server as TusServer } from "@tus/server";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { removeUpload, reserveUpload } from "../store/uploads.js";
import { writeTusCreation } from "./creation-writer.js";
import { writeTusPatch } from "./patch-writer.js";
import { refusingAsTus } from "./refusal.js";
import { directWritersOf, newUploadId, UPLOADS_PATH } from "./server.js";

export interface TusRequest {
  tus: TusServer;
  db: Kysely<Database>;
  quotaBytes: number;
  /** The headers every response carries (AppContext.securityHeaders). */
  securityHeaders: Record<string, string>;
  /** The authenticated caller (none for OPTIONS). */
  userId: string | undefined;
  /** The upload the URL names (none for the creation URL). */
  uploadId: string | undefined;
}

/**
 * Answers an authorised tus request on the raw Node response: PATCH and creation-with-upload through our direct
 * writers when they understand the request, everything else through @tus/server.
 */
export async function handleTusRequest(
  { tus, db, quotaBytes, securityHeaders, userId, uploadId }: TusRequest,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  for (const [name, value] of Object.entries(securityHeaders)) reply.raw.setHeader(name, value);
  reply.raw.setHeader("cache-control", "no-store");
  reply.hijack();
  const direct = directWritersOf(tus);
  if (request.method === "PATCH" && uploadId !== undefined && direct) {
    if (await writeTusPatch(direct, uploadId, request.raw, reply.raw)) return;
  }
  if (request.method === "POST" && uploadId === undefined && direct && userId) {
    const creation = {
      ...direct,
      newId: newUploadId,
      reserve: (id: string, size: number) =>
        refusingAsTus(() => reserveUpload(db, userId, id, size, quotaBytes)),
      location: (id: string) => `${UPLOADS_PATH}/${id}`,
    };
    if (await writeTusCreation(creation, request.raw, reply.raw)) return;
  }
  await tus.handle(request.raw, reply.raw);
  if (request.method === "DELETE" && uploadId !== undefined && reply.raw.statusCode === 204) {
    await removeUpload(db, uploadId);
  }
}
