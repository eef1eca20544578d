import {
  CreateLinkBody,
  LinkIdParams,
  type LinkRecord,
  LinkRosterBody,
  LinksResponse,
  PublicLinkFileParams,
  PublicLinkResponse,
  PublicLinkThumbnailParams,
} from "@umbra/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Selectable } from "kysely";
import { z } from "zod";
import { albumFileRecords, forbidden, keyChain } from "../album-access.js";
import type { AppContext } from "../context.js";
import type { LinksTable } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { conflict, HttpError, notFound } from "../http-error.js";
import { blobIds, type Db } from "../records.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { nowIso } from "../tokens.js";
import { sendBlob } from "./send-blob.js";

type LinkRow = Selectable<LinksTable>;

function toLinkRecord(row: LinkRow): LinkRecord {
  return {
    id: row.id,
    kind: row.kind,
    targetId: row.target_id,
    keyVersion: Number(row.key_version),
    kdf: row.kdf ? JSON.parse(row.kdf) : null,
    expiresAt: row.expires_at,
    allowDownload: Number(row.allow_download) === 1,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    roster: row.roster ? JSON.parse(row.roster) : null,
  };
}

const gone = (why: string) => new HttpError(410, "GONE", `this link ${why}`);

/** A live link, or 404 (never existed) / 410 (revoked or expired: its owner ended it). */
async function liveLink(db: Db, linkId: string): Promise<LinkRow> {
  const row = await db.selectFrom("links").selectAll().where("id", "=", linkId).executeTakeFirst();
  if (!row) throw notFound("link");
  if (row.revoked_at !== null) throw gone("was revoked");
  if (row.expires_at !== null && row.expires_at <= nowIso()) throw gone("has expired");
  return row;
}

/** The file rows a link reaches: the one file, or the live files of the album. */
async function linkedFile(db: Db, link: LinkRow, fileId: string) {
  const allowed =
    link.kind === "file"
      ? link.target_id === fileId
      : Boolean(
          await db
            .selectFrom("album_files")
            .select("file_id")
            .where("album_id", "=", link.target_id)
            .where("file_id", "=", fileId)
            .executeTakeFirst(),
        );
  const row = allowed
    ? await db.selectFrom("files").selectAll().where("id", "=", fileId).executeTakeFirst()
    : undefined;
  if (!row || row.trashed_at !== null) throw notFound("file");
  return row;
}

export function linkRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const onRequest = requireSession(ctx);

    app.post(
      "/api/links",
      { onRequest, schema: { body: CreateLinkBody, response: { 201: LinksResponse.shape.links.element } } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const body = request.body;
        const table = body.kind === "album" ? "albums" : "files";
        if (!body.targetId.startsWith(body.kind === "album" ? "a_" : "f_")) {
          throw new HttpError(
            400,
            "VALIDATION_FAILED",
            `targetId must be ${body.kind === "album" ? "an album" : "a file"} id`,
          );
        }
        const target = await ctx.db
          .selectFrom(table)
          .select("id")
          .where("id", "=", body.targetId)
          .where("user_id", "=", userId)
          .executeTakeFirst();
        if (!target) throw notFound(body.kind);
        if (body.expiresAt !== null && body.expiresAt <= nowIso()) {
          throw new HttpError(400, "VALIDATION_FAILED", "expiresAt must be in the future");
        }
        const row: LinkRow = {
          id: body.id,
          user_id: userId,
          kind: body.kind,
          target_id: body.targetId,
          wrapped_key: body.wrappedKey,
          key_version: body.keyVersion,
          kdf: body.kdf ? JSON.stringify(body.kdf) : null,
          expires_at: body.expiresAt,
          allow_download: body.allowDownload ? 1 : 0,
          created_at: nowIso(),
          revoked_at: null,
          roster: body.roster ? JSON.stringify(body.roster) : null,
        };
        try {
          await ctx.db.insertInto("links").values(row).execute();
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict("DUPLICATE_ID", "a link with this id exists");
          throw error;
        }
        return reply.code(201).send(toLinkRecord(row));
      },
    );

    app.get("/api/links", { onRequest, schema: { response: { 200: LinksResponse } } }, async (request) => {
      const rows = await ctx.db
        .selectFrom("links")
        .selectAll()
        .where("user_id", "=", sessionOf(request).userId)
        .orderBy("created_at")
        .execute();
      return { links: rows.map(toLinkRecord) };
    });

    app.put(
      "/api/links/:id/roster",
      { onRequest, schema: { params: LinkIdParams, body: LinkRosterBody, response: { 204: z.null() } } },
      async (request, reply) => {
        const result = await ctx.db
          .updateTable("links")
          .set({ roster: JSON.stringify(request.body.roster) })
          .where("id", "=", request.params.id)
          .where("user_id", "=", sessionOf(request).userId)
          .where("kind", "=", "album")
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw notFound("album link");
        return reply.code(204).send(null);
      },
    );

    app.delete(
      "/api/links/:id",
      { onRequest, schema: { params: LinkIdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        const result = await ctx.db
          .updateTable("links")
          .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(nowIso())) }))
          .where("id", "=", request.params.id)
          .where("user_id", "=", sessionOf(request).userId)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw notFound("link");
        return reply.code(204).send(null);
      },
    );

    // No session: the link id (derived from the secret in the URL fragment) is the only credential.
    app.get(
      "/api/public/links/:id",
      { schema: { params: LinkIdParams, response: { 200: PublicLinkResponse } } },
      async (request, reply) => {
        const link = await liveLink(ctx.db, request.params.id);
        reply.header("cache-control", "no-store");
        const common = {
          id: link.id,
          kind: link.kind,
          targetId: link.target_id,
          wrappedKey: link.wrapped_key,
          keyVersion: Number(link.key_version),
          kdf: link.kdf ? JSON.parse(link.kdf) : null,
          allowDownload: Number(link.allow_download) === 1,
          expiresAt: link.expires_at,
          roster: link.roster ? JSON.parse(link.roster) : null,
        };
        if (link.kind === "album") {
          const album = await ctx.db
            .selectFrom("albums")
            .select("encrypted_name")
            .where("id", "=", link.target_id)
            .executeTakeFirst();
          if (!album) throw gone("points to a deleted album");
          return {
            ...common,
            album: { encryptedName: album.encrypted_name },
            keyChain: await keyChain(ctx.db, link.target_id),
            files: await albumFileRecords(ctx.db, link.target_id),
          };
        }
        const file = await ctx.db
          .selectFrom("files")
          .selectAll()
          .where("id", "=", link.target_id)
          .executeTakeFirst();
        if (!file || file.trashed_at !== null) throw gone("points to a deleted file");
        return {
          ...common,
          album: null,
          keyChain: [],
          files: [
            {
              id: file.id,
              albumId: null,
              uploaderId: file.user_id,
              wrappedFileKey: null,
              keyVersion: 1,
              contentDigest: null,
              signature: null,
              encryptedMetadata: file.encrypted_metadata,
              contentSize: Number(file.content_size),
              thumbnails: { grid: Number(file.grid_size), preview: Number(file.preview_size) },
              createdAt: file.created_at,
              updatedAt: file.updated_at,
            },
          ],
        };
      },
    );

    app.get(
      "/api/public/links/:id/files/:fileId/thumbnails/:variant",
      { schema: { params: PublicLinkThumbnailParams } },
      async (request, reply) => {
        const link = await liveLink(ctx.db, request.params.id);
        const row = await linkedFile(ctx.db, link, request.params.fileId);
        const variant = request.params.variant;
        const size = Number(variant === "grid" ? row.grid_size : row.preview_size);
        return sendBlob(ctx.blobs, request, reply, {
          fileId: row.id,
          blobId: blobIds(row.blob_key)[variant],
          size,
        });
      },
    );

    app.get(
      "/api/public/links/:id/files/:fileId/content",
      { schema: { params: PublicLinkFileParams } },
      async (request, reply) => {
        const link = await liveLink(ctx.db, request.params.id);
        const row = await linkedFile(ctx.db, link, request.params.fileId);
        // Enforced for honest clients only: whoever can see a photo can copy it (THREAT_MODEL.md).
        if (Number(link.allow_download) !== 1) throw forbidden("this link does not allow downloads");
        return sendBlob(ctx.blobs, request, reply, {
          fileId: row.id,
          blobId: blobIds(row.blob_key).content,
          size: Number(row.content_size),
        });
      },
    );
  };
}
