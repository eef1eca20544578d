import { type CryptoErrorCode, UmbraCryptoError } from "@umbra/crypto";
import type { ErrorCode } from "@umbra/protocol";

/**
 * Stable codes of client-side failures that the server's catalogue does not have (an answer without a code is
 * given the catalogue's code for its status where there is one); the CLI maps each to a line and an exit code.
 */
export type ClientErrorCode =
  | "NETWORK"
  | "CONFLICT"
  | "TOO_LARGE"
  | "INVALID_RESPONSE"
  | "INVALID_INPUT"
  | "LOCKED"
  | "SERVER_ERROR"
  | "ABORTED";

// A client code that the catalogue also defines would be the same fact twice: this line stops compiling then.
const noCodeTwice: [Extract<ClientErrorCode, ErrorCode>] extends [never] ? true : never = true;
void noCodeTwice;

/** What the client's own checks refuse: a server that changed keys, went back, hid things, or a link's password. */
export type ClientCheckCode =
  | "KEY_CHANGED"
  | "IDENTITY_MISSING"
  | "KEY_ROLLBACK"
  | "SYNC_ROLLBACK"
  | "LIBRARY_MISMATCH"
  | "PASSWORD_REQUIRED";

/** The code of an error answer: the server's own, or one derived from the HTTP status when it named none. */
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/**
 * Every code an error from the SDK carries: the server's (passed through), the crypto package's (failed
 * authentication, wrong password…), the transport's and the client's own checks. Matching on a code outside
 * this union fails to compile.
 */
export type UmbraErrorCode = ApiErrorCode | CryptoErrorCode | ClientCheckCode;

export class UmbraClientError extends Error {
  readonly code: UmbraErrorCode;
  readonly status: number | undefined;
  constructor(code: UmbraErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.name = "UmbraClientError";
    this.code = code;
    this.status = options?.status;
  }
}

export class NetworkError extends UmbraClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("NETWORK", message, options);
    this.name = "NetworkError";
  }
}

/** An error answer from the server: `code` is the server's stable code when it sent one. */
export class ApiError extends UmbraClientError {
  declare readonly code: ApiErrorCode;
  declare readonly status: number;
  constructor(code: ApiErrorCode, message: string, status: number) {
    super(code, message, { status });
    this.name = "ApiError";
  }
}

export class InvalidResponseError extends UmbraClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_RESPONSE", message, options);
    this.name = "InvalidResponseError";
  }
}

export class LockedError extends UmbraClientError {
  constructor(message = "The vault is locked: unlock it with the password first") {
    super("LOCKED", message);
    this.name = "LockedError";
  }
}

const STATUS_CODES: Record<number, ApiErrorCode> = {
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  410: "GONE",
  413: "TOO_LARGE",
  429: "RATE_LIMITED",
  507: "QUOTA_EXCEEDED",
};

/** Code for an HTTP status when the body carries none. */
export function codeForStatus(status: number): ApiErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? "SERVER_ERROR" : "INVALID_INPUT");
}

/**
 * The typed code of an error from the SDK or the crypto package (undefined for anything else), so that a
 * comparison with a code outside `UmbraErrorCode` fails to compile.
 */
export function errorCode(error: unknown): UmbraErrorCode | undefined {
  if (error instanceof UmbraClientError || error instanceof UmbraCryptoError) return error.code;
  return undefined;
}
