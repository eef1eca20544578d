import { z } from "zod";

/**
 * Every code the server answers with, its HTTP status and what it means. The one list: the server's
 * `HttpError` takes only these, the client types `ApiError.code` with them, docs/PROTOCOL.md prints them.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, meaning: "a path, query, header or body failed its schema" },
  MALFORMED_JSON: { status: 400, meaning: "the body is not JSON" },
  BAD_REQUEST: { status: 400, meaning: "the request is not understood (other than a schema failure)" },
  BAD_OPAQUE_MESSAGE: { status: 400, meaning: "an OPAQUE message is malformed" },
  LENGTH_REQUIRED: { status: 400, meaning: "an upload was created without Upload-Length" },
  UNAUTHORIZED: { status: 401, meaning: "missing, expired or revoked session" },
  INVALID_CREDENTIALS: { status: 401, meaning: "login failed (no account is named)" },
  INVALID_RECOVERY: { status: 401, meaning: "recovery failed" },
  FORBIDDEN: { status: 403, meaning: "the session's user may not do this to this object" },
  NOT_FOUND: { status: 404, meaning: "no such object (or route) for this user" },
  DUPLICATE_ID: { status: 409, meaning: "an object with this client-chosen id exists" },
  ACCOUNT_EXISTS: { status: 409, meaning: "an account with this email or id exists" },
  IDENTITY_EXISTS: { status: 409, meaning: "this account already has sharing keys" },
  UPLOAD_INCOMPLETE: { status: 409, meaning: "the upload a file names is not finished" },
  NOT_IN_TRASH: { status: 409, meaning: "only a trashed file can be deleted for good" },
  LIBRARY_ALBUM: { status: 409, meaning: "the library album cannot be shared or deleted" },
  LAST_ALBUM: { status: 409, meaning: "a file's last album cannot be removed" },
  KEY_VERSION_CHANGED: { status: 409, meaning: "the album key was rotated; use the current version" },
  ROTATION_REQUIRED: { status: 409, meaning: "removing a member needs a key rotation" },
  MEMBERS_CHANGED: { status: 409, meaning: "a new key must be sealed to exactly the remaining members" },
  NOT_LIVE: { status: 409, meaning: "the file is not (or no longer) a live recording" },
  OFFSET_MISMATCH: {
    status: 409,
    meaning: "a live append or finish named another length than the server holds (Umbra-Offset tells it)",
  },
  CHECKPOINT_CONFLICT: { status: 409, meaning: "the library checkpoint changed meanwhile" },
  GONE: { status: 410, meaning: "a link expired, was revoked or used up" },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: "the request body is over the limit" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: "send application/json" },
  RANGE_NOT_SATISFIABLE: { status: 416, meaning: "the Range is outside the blob" },
  RATE_LIMITED: { status: 429, meaning: "too many attempts; Retry-After says when to try again" },
  INTERNAL_ERROR: { status: 500, meaning: "an unexpected server failure (details only in the server log)" },
  BLOB_INCOMPLETE: {
    status: 500,
    meaning: "a stored blob's length differs from its record (cut short, grown or missing); nothing was sent",
  },
  UNHEALTHY: { status: 503, meaning: "database or blob store unreachable" },
  QUOTA_EXCEEDED: { status: 507, meaning: "the account's storage quota would be exceeded" },
} as const satisfies Record<string, { status: number; meaning: string }>;

/** A stable code the server answers with. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CATALOGUE, value);
}

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** What an error answer says, read once for every caller: `code` is undefined when the body names no known code. */
export interface ErrorAnswer {
  readonly code: ErrorCode | undefined;
  readonly message: string | undefined;
}

/** Reads an error body (parsed JSON, JSON text, or anything else) without throwing. */
export function readErrorAnswer(body: unknown): ErrorAnswer {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return { code: undefined, message: undefined };
    }
  }
  const parsed = ErrorBody.safeParse(value);
  if (!parsed.success) return { code: undefined, message: undefined };
  const { code, message } = parsed.data.error;
  return { code: isErrorCode(code) ? code : undefined, message };
}

export const HealthResponse = z.object({ ok: z.literal(true) });
export type HealthResponse = z.infer<typeof HealthResponse>;
