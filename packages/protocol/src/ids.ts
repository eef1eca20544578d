import { ALBUM_ID_PATTERN, FILE_ID_PATTERN, USER_ID_PATTERN } from "@umbra/crypto/formats";
import { z } from "zod";

/**
 * Client-generated ids: a one-letter type prefix, "_", then 16 random bytes in unpadded base64url. Their shape is
 * a format fact the client binds keys to, owned by `@umbra/crypto/formats` (SPEC §1); re-exported for the wire.
 */
export { ALBUM_ID_PATTERN, FILE_ID_PATTERN, USER_ID_PATTERN };
/** Server-generated ids. */
export const SESSION_ID_PATTERN = /^s_[A-Za-z0-9_-]{22}$/;
export const UPLOAD_ID_PATTERN = /^[0-9a-f]{32}$/;
export const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

export const UserId = z.string().regex(USER_ID_PATTERN, "expected a user id (u_ + 22 base64url characters)");
export const AlbumId = z
  .string()
  .regex(ALBUM_ID_PATTERN, "expected an album id (a_ + 22 base64url characters)");
export const FileId = z.string().regex(FILE_ID_PATTERN, "expected a file id (f_ + 22 base64url characters)");
export const SessionId = z.string().regex(SESSION_ID_PATTERN, "expected a session id");
export const UploadId = z.string().regex(UPLOAD_ID_PATTERN, "expected an upload id (32 hex characters)");

/** Unpadded base64url with a length cap in characters (not bytes). */
export function base64Url(maxChars: number, minChars = 1) {
  return z.string().min(minChars).max(maxChars).regex(BASE64URL_PATTERN, "expected unpadded base64url");
}

/** How many unpadded base64url characters encode `bytes` bytes. */
export function base64UrlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}
