import type { UmbraErrorCode } from "@umbra/client";

/**
 * Every code a CLI failure carries: the SDK's (server, crypto, client checks) and the CLI's own questions
 * (a confirmation a script did not give, a `no` at the prompt).
 */
export type CliErrorCode = UmbraErrorCode | "CONFIRMATION_REQUIRED" | "DECLINED";

/** A failure the CLI reports as one stderr line with a non-zero exit. */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}
