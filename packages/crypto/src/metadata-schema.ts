import { InvalidInputError } from "./errors.js";
import {
  GPS_LATITUDE_RANGE,
  GPS_LONGITUDE_RANGE,
  METADATA_DESCRIPTION_MAX_LENGTH,
  METADATA_MIME_MAX_LENGTH,
  METADATA_NAME_MAX_LENGTH,
  METADATA_ROTATIONS,
} from "./formats.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A file's metadata: encrypted as a whole, so the server never sees a name, date, place or camera. */
export interface FileMetadata {
  name: string;
  mime: string;
  /** Plaintext size in bytes. */
  size: number;
  width?: number;
  height?: number;
  /** ISO 8601 capture time. */
  takenAt?: string;
  camera?: { make?: string; model?: string };
  lens?: string;
  gps?: { lat: number; lon: number; alt?: number };
  exif?: Record<string, JsonValue>;
  durationSec?: number;
  /** Keyed duplicate-detection digest (base64url), see dedup.ts. */
  contentDigest?: string;
  /** The user's caption. */
  description?: string;
  /** Clockwise display rotation in degrees (0, 90, 180, 270). */
  rotation?: number;
  /** IANA time zone the capture time is shown in (takenAt itself is an absolute instant). */
  timeZone?: string;
  /** Kept out of the timeline (still in albums and search). */
  archived?: boolean;
  /** Open-ended, for fields added later without a format change. */
  extra?: Record<string, JsonValue>;
}

function fail(message: string): never {
  throw new InvalidInputError(`Invalid file metadata: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(record: Record<string, unknown>, key: string): void {
  if (record[key] !== undefined && typeof record[key] !== "string") fail(`${key} must be a string`);
}

function optionalNumber(record: Record<string, unknown>, key: string, min = -Infinity, max = Infinity): void {
  const value = record[key];
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    fail(`${key} must be a number in [${min}, ${max}]`);
  }
}

function optionalCount(record: Record<string, unknown>, key: string): void {
  const value = record[key];
  if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < 0)) {
    fail(`${key} must be a non-negative integer`);
  }
}

/** Checks the known fields' types; unknown top-level fields are kept (forward compatibility). */
export function assertFileMetadata(value: unknown): asserts value is FileMetadata {
  if (!isRecord(value)) fail("not an object");
  if (
    typeof value.name !== "string" ||
    value.name.length === 0 ||
    value.name.length > METADATA_NAME_MAX_LENGTH
  ) {
    fail(`name must be a non-empty string of at most ${METADATA_NAME_MAX_LENGTH} characters`);
  }
  if (typeof value.mime !== "string" || value.mime.length > METADATA_MIME_MAX_LENGTH) {
    fail(`mime must be a string of at most ${METADATA_MIME_MAX_LENGTH} characters`);
  }
  if (!Number.isSafeInteger(value.size) || (value.size as number) < 0)
    fail("size must be a non-negative integer");
  optionalCount(value, "width");
  optionalCount(value, "height");
  optionalString(value, "takenAt");
  if (typeof value.takenAt === "string" && Number.isNaN(Date.parse(value.takenAt))) {
    fail("takenAt must be an ISO 8601 date");
  }
  if (value.camera !== undefined) {
    if (!isRecord(value.camera)) fail("camera must be an object");
    optionalString(value.camera, "make");
    optionalString(value.camera, "model");
  }
  optionalString(value, "lens");
  if (value.gps !== undefined) {
    if (!isRecord(value.gps)) fail("gps must be an object");
    if (value.gps.lat === undefined || value.gps.lon === undefined) fail("gps needs lat and lon");
    optionalNumber(value.gps, "lat", ...GPS_LATITUDE_RANGE);
    optionalNumber(value.gps, "lon", ...GPS_LONGITUDE_RANGE);
    optionalNumber(value.gps, "alt");
  }
  if (value.exif !== undefined && !isRecord(value.exif)) fail("exif must be an object");
  optionalNumber(value, "durationSec", 0);
  optionalString(value, "contentDigest");
  optionalString(value, "description");
  if (typeof value.description === "string" && value.description.length > METADATA_DESCRIPTION_MAX_LENGTH)
    fail(`description must be at most ${METADATA_DESCRIPTION_MAX_LENGTH} characters`);
  if (value.rotation !== undefined && !(METADATA_ROTATIONS as readonly unknown[]).includes(value.rotation))
    fail(`rotation must be one of ${METADATA_ROTATIONS.join(", ")}`);
  optionalString(value, "timeZone");
  if (value.archived !== undefined && typeof value.archived !== "boolean") fail("archived must be a boolean");
  if (value.extra !== undefined && !isRecord(value.extra)) fail("extra must be an object");
}
