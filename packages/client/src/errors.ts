/** Stable codes of client-side failures; the CLI maps each to one stderr line and a non-zero exit. */
export type ClientErrorCode =
  | "NETWORK"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "GONE"
  | "TOO_LARGE"
  | "RATE_LIMITED"
  | "QUOTA_EXCEEDED"
  | "INVALID_RESPONSE"
  | "INVALID_INPUT"
  | "LOCKED"
  | "SERVER_ERROR"
  | "ABORTED";

export class UmbraClientError extends Error {
  readonly code: ClientErrorCode | string;
  readonly status: number | undefined;
  constructor(
    code: ClientErrorCode | string,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
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
  constructor(code: string, message: string, status: number) {
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

const STATUS_CODES: Record<number, ClientErrorCode> = {
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
export function codeForStatus(status: number): ClientErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? "SERVER_ERROR" : "INVALID_INPUT");
}
