/** Exit codes: documented in README.md (the CLI section) so scripts can branch on them. */
export const EXIT = {
  failure: 1,
  usage: 2,
  auth: 3,
  network: 4,
  quota: 5,
  tampered: 6,
  notFound: 7,
  interrupted: 130,
} as const;

/** One clear line and an exit code for any failure; the stack only with UMBRA_DEBUG=1. */
export function describeFailure(error: unknown): { line: string; exitCode: number } {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "WRONG_PASSWORD":
    case "INVALID_CREDENTIALS":
      return { line: "wrong email or password (or link password)", exitCode: EXIT.auth };
    case "BAD_RECOVERY_PHRASE":
      return { line: `bad recovery phrase: ${message}`, exitCode: EXIT.auth };
    case "UNAUTHORIZED":
      return {
        line: `not logged in or session expired (${message}): run \`umbra login\``,
        exitCode: EXIT.auth,
      };
    case "WEAK_KDF_PARAMS":
      return { line: `refusing the key bundle: ${message}`, exitCode: EXIT.tampered };
    case "NETWORK":
      return {
        line: `network error: ${message}`,
        exitCode: EXIT.network,
      };
    case "QUOTA_EXCEEDED":
      return {
        line: "storage quota exceeded: free space (empty the trash) or ask for a larger quota",
        exitCode: EXIT.quota,
      };
    case "TAMPERED":
    case "TRUNCATED":
    case "UNSUPPORTED_VERSION":
      return {
        line: `integrity check failed (${code}): the data was modified or is incomplete; nothing was written (${message})`,
        exitCode: EXIT.tampered,
      };
    case "KEY_ROLLBACK":
    case "SYNC_ROLLBACK":
      return {
        line: `integrity check failed (${code}): the server went back to an older state than this device has seen; refused (${message})`,
        exitCode: EXIT.tampered,
      };
    case "KEY_CHANGED":
    case "LIBRARY_MISMATCH":
      return { line: message, exitCode: EXIT.tampered };
    case "IDENTITY_MISSING":
      return {
        line: `your sharing keys are missing on the server (IDENTITY_MISSING): ${message}`,
        exitCode: EXIT.failure,
      };
    case "INVALID_RESPONSE":
      return {
        line: `the server sent an answer that fails validation (INVALID_RESPONSE): ${message}`,
        exitCode: EXIT.failure,
      };
    case "CONFIRMATION_REQUIRED":
      return { line: message, exitCode: EXIT.usage };
    case "DECLINED":
      return { line: message, exitCode: EXIT.failure };
    case "PASSWORD_REQUIRED":
      return { line: "this link needs a password: pass --password-stdin", exitCode: EXIT.auth };
    case "GONE":
      return { line: `this link was revoked or has expired (${message})`, exitCode: EXIT.notFound };
    case "FORBIDDEN":
      return { line: `not allowed: ${message}`, exitCode: EXIT.failure };
    case "NOT_FOUND":
      return { line: `not found: ${message}`, exitCode: EXIT.notFound };
    case "ABORTED":
      return { line: message, exitCode: EXIT.interrupted };
    case "INVALID_INPUT":
    case "VALIDATION_FAILED":
      return { line: message, exitCode: EXIT.usage };
    default:
      return { line: typeof code === "string" ? `${message} (${code})` : message, exitCode: EXIT.failure };
  }
}
