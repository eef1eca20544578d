import fs from "node:fs/promises";
import path from "node:path";
import swagger from "@fastify/swagger";
import { ErrorBody, HealthResponse, PublicConfigResponse } from "@umbra/protocol";
import Fastify, { type FastifyError, LogController } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { sql } from "kysely";
import type { Config } from "./config.js";
import type { AppContext } from "./context.js";
import { connect } from "./db/connect.js";
import { migrate } from "./db/migrations.js";
import { Notifier } from "./events/notifier.js";
import { errorBody, HttpError } from "./http-error.js";
import { LoginThrottle } from "./login-throttle.js";
import { loadOpaqueSetup } from "./opaque-setup.js";
import { accountRoutes } from "./routes/account.js";
import { albumRoutes } from "./routes/albums.js";
import { authRoutes } from "./routes/auth.js";
import { checkpointRoutes } from "./routes/checkpoint.js";
import { eventRoutes } from "./routes/events.js";
import { fileRoutes } from "./routes/files.js";
import { identityRoutes } from "./routes/identity.js";
import { linkRoutes } from "./routes/links.js";
import { liveRoutes } from "./routes/live.js";
import { memberRoutes } from "./routes/members.js";
import { renditionRoutes } from "./routes/renditions.js";
import { syncRoutes } from "./routes/sync.js";
import { thumbnailBatchRoutes } from "./routes/thumbnail-batch.js";
import { registerUploadRoutes } from "./routes/uploads.js";
import { securityHeaders } from "./security-headers.js";
import { FsBlobStore } from "./storage/fs-blob-store.js";
import { createTusServer } from "./tus/server.js";
import { serveWebApp } from "./web-static.js";

export interface UmbraServer {
  app: ReturnType<typeof buildApp>;
  ctx: AppContext;
  /** Every route registered, as Fastify added it (filled once the app is ready). */
  routes: RegisteredRoute[];
  close(): Promise<void>;
}

export interface RegisteredRoute {
  method: string | string[];
  url: string;
}

/** Opens storage, runs migrations and builds the Fastify app (not yet listening). */
export async function createServer(config: Config): Promise<UmbraServer> {
  await fs.mkdir(config.dataDir, { recursive: true });
  const uploadsDir = path.join(config.dataDir, "uploads");
  await fs.mkdir(uploadsDir, { recursive: true });
  const blobs = new FsBlobStore(path.join(config.dataDir, "blobs"));
  await blobs.init();
  const { db, dialect } = connect(config.databaseUrl);
  await migrate(db as never);
  const ctx: AppContext = {
    config,
    db,
    dialect,
    blobs,
    uploadsDir,
    tus: createTusServer(db, uploadsDir, {
      quotaBytes: config.quotaBytes,
      maxUploadBytes: config.maxUploadBytes,
      expiryMs: config.uploadExpiryMs,
    }),
    opaqueSetup: await loadOpaqueSetup(db, config.opaqueServerSetup),
    throttle: new LoginThrottle(config.loginWindowMs, config.loginMaxPerAccount, config.loginMaxPerIp),
    notifier: new Notifier(),
    securityHeaders: securityHeaders({ mapTileOrigin: config.mapTiles?.origin ?? null }),
  };
  // A log file in a folder that does not exist yet is a setup step, not a crash at the first log line.
  if (config.logFile) await fs.mkdir(path.dirname(config.logFile), { recursive: true });
  const routes: RegisteredRoute[] = [];
  const app = buildApp(ctx, routes);
  return {
    app,
    ctx,
    routes,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

function buildApp(ctx: AppContext, routes: RegisteredRoute[]) {
  const { config } = ctx;
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    // Only what onResponse logs below: never bodies, headers, tokens or query strings.
    logController: new LogController({ disableRequestLogging: true }),
    logger: {
      level: config.logLevel,
      ...(config.logFile ? { file: config.logFile } : {}),
      serializers: { req: (req) => ({ method: req.method }), res: (res) => ({ statusCode: res.statusCode }) },
      redact: { paths: ["req", "res", "headers", "body"], remove: true },
    },
    // The overloads want one member of the union at a time.
    trustProxy: config.trustProxy as boolean,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("session", null);
  // Event streams never end by themselves: end them first, so a stop does not wait for the grace period.
  app.addHook("preClose", async () => ctx.notifier.closeAll());
  app.addHook("onRoute", ({ method, url }) => {
    routes.push({ method, url });
  });
  // JSON only (tus registers its own raw parser): anything else is a clear 415.
  app.removeContentTypeParser("text/plain");

  app.register(swagger, {
    openapi: {
      info: { title: "Umbra API", version: "1.0.0" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
    transform: jsonSchemaTransform,
  });

  app.addHook("onSend", async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(ctx.securityHeaders)) reply.header(name, value);
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? "(unmatched)",
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime),
      },
      "request",
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    reply.header("content-type", "application/json; charset=utf-8");
    reply.removeHeader("etag");
    reply.removeHeader("cache-control");
    reply.removeHeader("content-length");
    reply.removeHeader("content-range");
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation
        .slice(0, 5)
        .map((v) => `${v.instancePath || "/"} ${v.message}`)
        .join("; ");
      return reply
        .code(400)
        .send(errorBody("VALIDATION_FAILED", `invalid ${error.validationContext}: ${issues}`));
    }
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.code(error.status).send(errorBody(error.code, error.message));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send(errorBody("PAYLOAD_TOO_LARGE", "request body too large"));
    if (status === 415)
      return reply.code(415).send(errorBody("UNSUPPORTED_MEDIA_TYPE", "send application/json"));
    if (status >= 400 && status < 500) {
      const code = error.code === "FST_ERR_CTP_INVALID_JSON_BODY" ? "MALFORMED_JSON" : "BAD_REQUEST";
      // Fastify's own 4xx messages describe the request shape, never its content.
      return reply.code(status).send(errorBody(code, error.message));
    }
    request.log.error({ err: { type: error.name, code: error.code, stack: error.stack } }, "internal error");
    return reply.code(500).send(errorBody("INTERNAL_ERROR", "internal server error"));
  });

  app.setNotFoundHandler(async (request, reply) => {
    const isApi = request.url === "/api" || request.url.startsWith("/api/");
    if (!isApi && config.webDir && (request.method === "GET" || request.method === "HEAD")) {
      if (await serveWebApp(config.webDir, request, reply)) return reply;
    }
    return reply.code(404).send(errorBody("NOT_FOUND", "no such route"));
  });

  // Registered after swagger (as every route), so the OpenAPI document lists them too.
  app.register(async (scope) => {
    scope.get(
      "/api/health",
      {
        schema: {
          summary: "database and blob store reachable",
          response: { 200: HealthResponse, 503: ErrorBody },
        },
      },
      async (_request, reply) => {
        try {
          await sql`select 1`.execute(ctx.db);
          await ctx.blobs.ping();
        } catch {
          return reply.code(503).send(errorBody("UNHEALTHY", "database or blob store unreachable"));
        }
        return { ok: true as const };
      },
    );
    scope.get(
      "/api/config",
      {
        schema: {
          summary: "what the operator configured for the web app (map tiles), public",
          response: { 200: PublicConfigResponse },
        },
      },
      async () => ({
        mapTiles: config.mapTiles
          ? { url: config.mapTiles.url, attribution: config.mapTiles.attribution }
          : null,
      }),
    );
    scope.get("/api/openapi.json", { schema: { summary: "this OpenAPI document" } }, async () =>
      app.swagger(),
    );
  });
  app.register(authRoutes(ctx));
  app.register(accountRoutes(ctx));
  app.register(albumRoutes(ctx));
  app.register(fileRoutes(ctx));
  app.register(thumbnailBatchRoutes(ctx));
  app.register(syncRoutes(ctx));
  app.register(eventRoutes(ctx));
  app.register(checkpointRoutes(ctx));
  app.register(identityRoutes(ctx));
  app.register(memberRoutes(ctx));
  app.register(linkRoutes(ctx));
  app.register(liveRoutes(ctx));
  app.register(renditionRoutes(ctx));
  app.register(async (scope) => registerUploadRoutes(scope, ctx));
  return app;
}
