import path from "node:path";
import { checkTileTemplate, MAX_TILE_ATTRIBUTION_LENGTH } from "@umbra/protocol";

/** One environment variable: its default and what it controls (printed by --help). */
interface Setting {
  env: string;
  fallback: string;
  help: string;
}

export const SETTINGS: Setting[] = [
  { env: "UMBRA_HOST", fallback: "127.0.0.1", help: "address to listen on" },
  { env: "UMBRA_PORT", fallback: "8080", help: "TCP port (0 picks a free one)" },
  { env: "UMBRA_DATA_DIR", fallback: "./data", help: "blobs, pending uploads, SQLite file, OPAQUE setup" },
  {
    env: "UMBRA_DATABASE_URL",
    fallback: "<data dir>/umbra.sqlite",
    help: "SQLite file path or postgres://… URL",
  },
  { env: "UMBRA_QUOTA_BYTES", fallback: String(5 * 1024 ** 3), help: "storage quota per user in bytes" },
  { env: "UMBRA_LOG_FILE", fallback: "(stdout)", help: "append JSON logs to this file" },
  { env: "UMBRA_LOG_LEVEL", fallback: "info", help: "pino level: fatal error warn info debug silent" },
  { env: "UMBRA_SESSION_TTL", fallback: "2592000", help: "session lifetime in seconds (30 days)" },
  { env: "UMBRA_UPLOAD_EXPIRY", fallback: "86400", help: "unfinished uploads are removed after (seconds)" },
  { env: "UMBRA_TRASH_DAYS", fallback: "30", help: "trashed files are deleted after this many days" },
  { env: "UMBRA_SWEEP_INTERVAL", fallback: "3600", help: "seconds between sweeper runs" },
  {
    env: "UMBRA_SWEEP_GRACE",
    fallback: "600",
    help: "blobs/uploads without a row younger than this (seconds) are left alone",
  },
  {
    env: "UMBRA_OPAQUE_SERVER_SETUP",
    fallback: "(generated once, stored in the db)",
    help: "OPAQUE server setup string",
  },
  { env: "UMBRA_WEB_DIR", fallback: "(none)", help: "serve this built web app at / when present" },
  { env: "UMBRA_LOGIN_WINDOW", fallback: "900", help: "login rate-limit window in seconds" },
  {
    env: "UMBRA_LOGIN_MAX_PER_ACCOUNT",
    fallback: "10",
    help: "login/recovery attempts per account per window",
  },
  { env: "UMBRA_LOGIN_MAX_PER_IP", fallback: "50", help: "login/recovery attempts per IP per window" },
  {
    env: "UMBRA_TRUST_PROXY",
    fallback: "false",
    help: "true, a hop count or proxy addresses: take the client IP from X-Forwarded-For",
  },
  { env: "UMBRA_BODY_LIMIT", fallback: "8388608", help: "max JSON body size in bytes" },
  { env: "UMBRA_MAX_UPLOAD_BYTES", fallback: String(50 * 1024 ** 3), help: "max size of one upload" },
  {
    env: "UMBRA_MAP_TILE_URL",
    fallback: "(none: the bundled vector map only)",
    help: "XYZ raster tiles the web app may offer under its map, e.g. https://tiles.example.org/{z}/{x}/{y}.png",
  },
  { env: "UMBRA_MAP_TILE_ATTRIBUTION", fallback: "(none)", help: "credit line shown over those tiles" },
];

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  quotaBytes: number;
  logFile: string | null;
  logLevel: string;
  sessionTtlMs: number;
  uploadExpiryMs: number;
  trashMs: number;
  sweepIntervalMs: number;
  sweepGraceMs: number;
  opaqueServerSetup: string | null;
  webDir: string | null;
  loginWindowMs: number;
  loginMaxPerAccount: number;
  loginMaxPerIp: number;
  bodyLimit: number;
  maxUploadBytes: number;
  trustProxy: boolean | number | string;
  /** Raster map tiles offered to the web app (each user opts in per device); null: the vector map only. */
  mapTiles: MapTiles | null;
}

export interface MapTiles {
  /** The XYZ template, as configured. */
  url: string;
  /** Its one origin (what the CSP's img-src adds). */
  origin: string;
  attribution: string | null;
}

export class ConfigError extends Error {
  readonly code = "BAD_CONFIG";
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${name} must be a non-negative number`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.UMBRA_DATA_DIR || "./data");
  const trashDays = numberFrom(env, "UMBRA_TRASH_DAYS", 30);
  return {
    host: env.UMBRA_HOST || "127.0.0.1",
    port: numberFrom(env, "UMBRA_PORT", 8080),
    dataDir,
    databaseUrl: env.UMBRA_DATABASE_URL || path.join(dataDir, "umbra.sqlite"),
    quotaBytes: numberFrom(env, "UMBRA_QUOTA_BYTES", 5 * 1024 ** 3),
    logFile: env.UMBRA_LOG_FILE || null,
    logLevel: env.UMBRA_LOG_LEVEL || "info",
    sessionTtlMs: numberFrom(env, "UMBRA_SESSION_TTL", 30 * 86400) * 1000,
    uploadExpiryMs: numberFrom(env, "UMBRA_UPLOAD_EXPIRY", 86400) * 1000,
    trashMs: trashDays * 86400 * 1000,
    sweepIntervalMs: numberFrom(env, "UMBRA_SWEEP_INTERVAL", 3600) * 1000,
    sweepGraceMs: numberFrom(env, "UMBRA_SWEEP_GRACE", 600) * 1000,
    opaqueServerSetup: env.UMBRA_OPAQUE_SERVER_SETUP || null,
    webDir: env.UMBRA_WEB_DIR ? path.resolve(env.UMBRA_WEB_DIR) : null,
    loginWindowMs: numberFrom(env, "UMBRA_LOGIN_WINDOW", 900) * 1000,
    loginMaxPerAccount: numberFrom(env, "UMBRA_LOGIN_MAX_PER_ACCOUNT", 10),
    loginMaxPerIp: numberFrom(env, "UMBRA_LOGIN_MAX_PER_IP", 50),
    bodyLimit: numberFrom(env, "UMBRA_BODY_LIMIT", 8 * 1024 * 1024),
    maxUploadBytes: numberFrom(env, "UMBRA_MAX_UPLOAD_BYTES", 50 * 1024 ** 3),
    trustProxy: trustProxyFrom(env.UMBRA_TRUST_PROXY),
    mapTiles: mapTilesFrom(env),
  };
}

/** UMBRA_MAP_TILE_URL and UMBRA_MAP_TILE_ATTRIBUTION, checked as the web app will check them (@umbra/protocol). */
function mapTilesFrom(env: NodeJS.ProcessEnv): MapTiles | null {
  const url = env.UMBRA_MAP_TILE_URL?.trim() ?? "";
  const attribution = env.UMBRA_MAP_TILE_ATTRIBUTION?.trim() ?? "";
  if (url === "") {
    if (attribution !== "")
      throw new ConfigError("UMBRA_MAP_TILE_ATTRIBUTION is set but UMBRA_MAP_TILE_URL is not");
    return null;
  }
  const check = checkTileTemplate(url);
  if (!check.ok) {
    throw new ConfigError(
      `UMBRA_MAP_TILE_URL ${check.problem}: expected an http(s) URL with {z}, {x} and {y}, ` +
        "like https://tiles.example.org/{z}/{x}/{y}.png",
    );
  }
  if (attribution.length > MAX_TILE_ATTRIBUTION_LENGTH || /\p{Cc}/u.test(attribution)) {
    throw new ConfigError(
      `UMBRA_MAP_TILE_ATTRIBUTION must be one line of at most ${MAX_TILE_ATTRIBUTION_LENGTH} characters`,
    );
  }
  return { url, origin: check.origin, attribution: attribution || null };
}

/** Per-IP login limits need the real client address when a reverse proxy sits in front. */
function trustProxyFrom(raw: string | undefined): boolean | number | string {
  if (!raw || raw === "false") return false;
  if (raw === "true") return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export function helpText(): string {
  const width = Math.max(...SETTINGS.map((s) => s.env.length));
  const lines = SETTINGS.map((s) => `  ${s.env.padEnd(width)}  ${s.help} [default: ${s.fallback}]`);
  return ["Usage: umbra-server [--help]", "", "Configuration (environment variables):", ...lines, ""].join(
    "\n",
  );
}
