import type { CliErrorCode } from "./cli-error.js";

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

type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** How one code is reported: its exit code and the stderr line (the error's own message when no line is given). */
interface Failure {
  exitCode: ExitCode;
  line?: (message: string, code: CliErrorCode) => string;
}

const integrity = (message: string, code: CliErrorCode) =>
  `integrity check failed (${code}): the data was modified or is incomplete; nothing was written (${message})`;
const rollback = (message: string, code: CliErrorCode) =>
  `integrity check failed (${code}): the server went back to an older state than this device has seen; refused (${message})`;
const wrongPassword = () => "wrong email or password (or link password)";

/**
 * The codes the CLI reports in their own words, keyed by the typed code union: a code that does not exist fails
 * to compile. Any other code exits 1 with `message (CODE)`. README.md's exit-code table lists these rows.
 */
export const FAILURES: Partial<Record<CliErrorCode, Failure>> = {
  WRONG_PASSWORD: { exitCode: EXIT.auth, line: wrongPassword },
  INVALID_CREDENTIALS: { exitCode: EXIT.auth, line: wrongPassword },
  BAD_RECOVERY_PHRASE: { exitCode: EXIT.auth, line: (message) => `bad recovery phrase: ${message}` },
  INVALID_RECOVERY: { exitCode: EXIT.auth, line: (message) => `bad recovery phrase: ${message}` },
  UNAUTHORIZED: {
    exitCode: EXIT.auth,
    line: (message) => `not logged in or session expired (${message}): run \`umbra login\``,
  },
  PASSWORD_REQUIRED: { exitCode: EXIT.auth, line: () => "this link needs a password: pass --password-stdin" },
  NETWORK: { exitCode: EXIT.network, line: (message) => `network error: ${message}` },
  QUOTA_EXCEEDED: {
    exitCode: EXIT.quota,
    line: () => "storage quota exceeded: free space (empty the trash) or ask for a larger quota",
  },
  TAMPERED: { exitCode: EXIT.tampered, line: integrity },
  TRUNCATED: { exitCode: EXIT.tampered, line: integrity },
  UNSUPPORTED_VERSION: { exitCode: EXIT.tampered, line: integrity },
  WEAK_KDF_PARAMS: { exitCode: EXIT.tampered, line: (message) => `refusing the key bundle: ${message}` },
  KEY_ROLLBACK: { exitCode: EXIT.tampered, line: rollback },
  SYNC_ROLLBACK: { exitCode: EXIT.tampered, line: rollback },
  KEY_CHANGED: { exitCode: EXIT.tampered },
  LIBRARY_MISMATCH: { exitCode: EXIT.tampered },
  NOT_FOUND: { exitCode: EXIT.notFound, line: (message) => `not found: ${message}` },
  GONE: { exitCode: EXIT.notFound, line: (message) => `this link was revoked or has expired (${message})` },
  INVALID_INPUT: { exitCode: EXIT.usage },
  VALIDATION_FAILED: { exitCode: EXIT.usage },
  CONFIRMATION_REQUIRED: { exitCode: EXIT.usage },
  ABORTED: { exitCode: EXIT.interrupted },
  IDENTITY_MISSING: {
    exitCode: EXIT.failure,
    line: (message) => `your sharing keys are missing on the server (IDENTITY_MISSING): ${message}`,
  },
  INVALID_RESPONSE: {
    exitCode: EXIT.failure,
    line: (message) => `the server sent an answer that fails validation (INVALID_RESPONSE): ${message}`,
  },
  FORBIDDEN: { exitCode: EXIT.failure, line: (message) => `not allowed: ${message}` },
  DECLINED: { exitCode: EXIT.failure },
};

function failureOf(code: unknown): Failure | undefined {
  return typeof code === "string" && Object.hasOwn(FAILURES, code)
    ? FAILURES[code as CliErrorCode]
    : undefined;
}

/** One clear line and an exit code for any failure; the stack only with UMBRA_DEBUG=1. */
export function describeFailure(error: unknown): { line: string; exitCode: number } {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const failure = failureOf(code);
  if (failure)
    return { line: failure.line?.(message, code as CliErrorCode) ?? message, exitCode: failure.exitCode };
  return { line: typeof code === "string" ? `${message} (${code})` : message, exitCode: EXIT.failure };
}
