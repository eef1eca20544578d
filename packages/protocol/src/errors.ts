import { z } from "zod";

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Stable error codes the server answers with. */
export const ErrorCode = {
  validation: "VALIDATION_FAILED",
  unauthorized: "UNAUTHORIZED",
  invalidCredentials: "INVALID_CREDENTIALS",
  notFound: "NOT_FOUND",
  conflict: "CONFLICT",
  gone: "GONE",
  payloadTooLarge: "PAYLOAD_TOO_LARGE",
  rateLimited: "RATE_LIMITED",
  quotaExceeded: "QUOTA_EXCEEDED",
  rangeNotSatisfiable: "RANGE_NOT_SATISFIABLE",
  /** 500: a stored blob's length differs from its record (cut short, grown or missing); nothing was sent. */
  blobIncomplete: "BLOB_INCOMPLETE",
  internal: "INTERNAL_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HealthResponse = z.object({ ok: z.literal(true) });
export type HealthResponse = z.infer<typeof HealthResponse>;
