import type { UmbraClient, WarningCode } from "@umbra/client";

/** What the SDK reports in `client.warnings` (a lying server's traces: skipped records, rollbacks, …). */
export interface WarningLike {
  code: WarningCode;
  message: string;
  subject?: string;
}

const muted = new Set<WarningCode>();

/** Stops printing warnings of one code (a command that handles that situation itself says it better). */
export function muteWarnings(code: WarningCode): void {
  muted.add(code);
}

/** One stderr line in plain words; the ids it is about when the message does not name them already. */
export function warningLine(warning: WarningLike): string {
  const message = warning.message.replace(/\s+/g, " ").trim();
  const subject = warning.subject && !message.includes(warning.subject) ? ` [${warning.subject}]` : "";
  return `umbra: warning: ${message}${subject}`;
}

/**
 * Prints every warning the client raises, as it is raised, one line each on stderr. Attached before unlocking,
 * so what the unlock itself finds is printed too.
 */
export function reportWarnings(client: UmbraClient): void {
  for (const warning of client.warnings.list) print(warning);
  client.warnings.on(print);
}

function print(warning: WarningLike): void {
  if (!muted.has(warning.code)) process.stderr.write(`${warningLine(warning)}\n`);
}

/** Resolves once everything written to stderr so far has been handed to the OS (before the exit code is set). */
export function flushStderr(): Promise<void> {
  return new Promise((resolve) => {
    process.stderr.write("", () => resolve());
  });
}
