import type { UmbraErrorCode } from "@umbra/client";

/** The web app's own check: the keys the user compared are no longer the ones the server presents. */
export class SafetyNumberChangedError extends Error {
  readonly code = "SAFETY_NUMBER_CHANGED";
  constructor(message: string) {
    super(message);
    this.name = "SafetyNumberChangedError";
  }
}

/** Every code an error shown by the app can carry: the SDK's, and the app's own. */
export type WebErrorCode = UmbraErrorCode | SafetyNumberChangedError["code"];

/**
 * The stable code of an error from the SDK or the app, typed, so that comparing it with a code nobody emits fails
 * to compile. Read from the `code` property, not by `instanceof`, which breaks across bundles.
 */
export function codeOf(error: unknown): WebErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? (code as WebErrorCode) : undefined;
}
