import { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from "@umbra/protocol";

/**
 * An error answered as {"error": {code, message}}. The status is the catalogue's for the code: a code means
 * one thing on the wire, so the store layer throws these without knowing about HTTP.
 */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_CATALOGUE[code].status;
  }
}

export const notFound = (what = "resource") => new HttpError("NOT_FOUND", `${what} not found`);
export const unauthorized = (message = "missing, expired or revoked session") =>
  new HttpError("UNAUTHORIZED", message);
export const forbidden = (message: string) => new HttpError("FORBIDDEN", message);
export const invalid = (message: string) => new HttpError("VALIDATION_FAILED", message);
export const quotaExceeded = () => new HttpError("QUOTA_EXCEEDED", "storage quota exceeded");
export const blobIncomplete = () =>
  new HttpError("BLOB_INCOMPLETE", "the stored data of this file is incomplete on the server");
export const invalidCredentials = () => new HttpError("INVALID_CREDENTIALS", "login failed");

export function errorBody(code: ErrorCode, message: string): ErrorBody & { error: { code: ErrorCode } } {
  return { error: { code, message } };
}
