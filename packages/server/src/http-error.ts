/** An error answered as {"error": {code, message}} with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = "resource") => new HttpError(404, "NOT_FOUND", `${what} not found`);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const unauthorized = (message = "missing, expired or revoked session") =>
  new HttpError(401, "UNAUTHORIZED", message);
export const blobIncomplete = () =>
  new HttpError(500, "BLOB_INCOMPLETE", "the stored data of this file is incomplete on the server");
export const invalidCredentials = () => new HttpError(401, "INVALID_CREDENTIALS", "login failed");

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
