import { z } from "zod";

/** Client-generated ids: a one-letter type prefix, "_", then 16 random bytes in unpadded base64url. */
export const USER_ID_PATTERN = /^u_[A-Za-z0-9_-]{22}$/;
export const ALBUM_ID_PATTERN = /^a_[A-Za-z0-9_-]{22}$/;
export const FILE_ID_PATTERN = /^f_[A-Za-z0-9_-]{22}$/;
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
