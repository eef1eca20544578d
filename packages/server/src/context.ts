import type { Server as TusServer } from "@tus/server";
import type { Kysely } from "kysely";
import type { Config } from "./config.js";
import type { Database } from "./db/schema.js";
import type { Notifier } from "./events/notifier.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { BlobStore } from "./storage/blob-store.js";

/** Everything a route needs, built once at start. */
export interface AppContext {
  config: Config;
  db: Kysely<Database>;
  dialect: "sqlite" | "postgres";
  blobs: BlobStore;
  tus: TusServer;
  uploadsDir: string;
  opaqueSetup: string;
  throttle: LoginThrottle;
  /** Tells open event streams (`GET /api/events`) about committed changes. */
  notifier: Notifier;
  /** Sent on every response (security-headers.ts), the CSP naming the map tile origin when one is configured. */
  securityHeaders: Record<string, string>;
}
