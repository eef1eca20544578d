import { createInterface } from "node:readline";
import { CliError } from "./cli-error.js";

let stdinLines: Promise<string[]> | undefined;

/** All of stdin as lines, read once: `--password-stdin` takes line 1, a second secret line 2. */
function readStdinLines(): Promise<string[]> {
  stdinLines ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8").split(/\r?\n/);
  })();
  return stdinLines;
}

let nextLine = 0;
export async function stdinLine(what: string): Promise<string> {
  const lines = await readStdinLines();
  const line = lines[nextLine++];
  if (line === undefined || line === "")
    throw new CliError("INVALID_INPUT", `Expected ${what} on standard input`);
  return line;
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY)
    return Promise.reject(new CliError("INVALID_INPUT", `No terminal to ask for ${question}`));
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new CliError("ABORTED", "Cancelled"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    stdin.on("data", onData);
  });
}

export interface SecretOptions {
  passwordStdin?: boolean;
}

/** The password: --password-stdin, else UMBRA_PASSWORD, else a hidden prompt on a TTY. */
export async function readPassword(options: SecretOptions, prompt = "Password: "): Promise<string> {
  if (options.passwordStdin) return stdinLine("the password");
  const env = process.env.UMBRA_PASSWORD;
  if (env) return env;
  if (process.stdin.isTTY) return promptHidden(prompt);
  throw new CliError(
    "INVALID_INPUT",
    "A password is needed: pass --password-stdin, set UMBRA_PASSWORD, or run in a terminal",
  );
}

/** A new password (sign-up, passwd, recover): asked twice on a TTY. */
export async function readNewPassword(
  options: SecretOptions & { fromSecondLine?: boolean },
): Promise<string> {
  let password: string;
  if (options.passwordStdin || options.fromSecondLine) password = await stdinLine("the new password");
  else if (process.env.UMBRA_PASSWORD) password = process.env.UMBRA_PASSWORD;
  else if (process.stdin.isTTY) {
    password = await promptHidden("New password: ");
    if ((await promptHidden("Repeat the new password: ")) !== password) {
      throw new CliError("INVALID_INPUT", "The passwords do not match");
    }
  } else {
    throw new CliError(
      "INVALID_INPUT",
      "A new password is needed: pass --password-stdin, set UMBRA_PASSWORD, or run in a terminal",
    );
  }
  if (password.length < 8)
    throw new CliError("INVALID_INPUT", "The password must be at least 8 characters long");
  return password;
}

/** Asks a yes/no question on the terminal (question on stderr, answer on stdin): true only for y or yes. */
export function askYesNo(question: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      finish();
      rl.close();
    };
    rl.on("SIGINT", () => {
      process.stderr.write("\n");
      settle(() => reject(new CliError("ABORTED", "Cancelled: nothing was done")));
    });
    // End of input (Ctrl-D) is a no.
    rl.on("close", () => settle(() => resolve(false)));
    rl.question(question, (answer) => settle(() => resolve(/^y(es)?$/i.test(answer.trim()))));
  });
}

/**
 * The user's go-ahead for something that cannot be taken back: `--yes`, else a y/N question on a terminal.
 * Without either it refuses (CONFIRMATION_REQUIRED, `refusal` says what to do); a "no" is DECLINED.
 */
export async function confirmOrRefuse(options: {
  yes?: boolean;
  question: string;
  refusal: string;
  declined: string;
}): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY) throw new CliError("CONFIRMATION_REQUIRED", options.refusal);
  if (!(await askYesNo(options.question))) throw new CliError("DECLINED", options.declined);
}
