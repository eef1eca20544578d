import { errorCode } from "@umbra/client";
import { CliError } from "../cli-error.js";
import { clearState, configDir, readConfig, writeConfig } from "../config.js";
import { type GlobalOptions, newClient, saveSession, serverUrlFrom, sessionClient } from "../context.js";
import { readNewPassword, readPassword, stdinLine } from "../secrets.js";

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function signupCommand(
  global: GlobalOptions,
  options: { email: string; passwordStdin?: boolean; json?: boolean },
): Promise<void> {
  const serverUrl = serverUrlFrom(global, await readConfig());
  const password = await readNewPassword({ passwordStdin: options.passwordStdin });
  const client = newClient(serverUrl);
  const { recoveryPhrase } = await client.signup(options.email, password);
  await saveSession(serverUrl, client.session!);
  if (options.json) {
    out(JSON.stringify({ recoveryPhrase }));
    return;
  }
  out(`Account created for ${options.email} and logged in.`);
  out("");
  out("Your recovery phrase (shown only this once):");
  out("");
  out(`  ${recoveryPhrase}`);
  out("");
  out("WARNING: write it down and keep it somewhere safe and offline. It is the only way back into your");
  out("vault if you forget your password: nobody, not even the server's operator, can reset it for you.");
}

export async function loginCommand(
  global: GlobalOptions,
  options: { email: string; passwordStdin?: boolean },
): Promise<void> {
  const serverUrl = serverUrlFrom(global, await readConfig());
  const password = await readPassword(options);
  const client = newClient(serverUrl);
  const session = await client.login(options.email, password);
  await saveSession(serverUrl, session);
  out(`Logged in as ${session.email}.`);
}

export async function logoutCommand(global: GlobalOptions): Promise<void> {
  const config = await readConfig();
  if (config.token) {
    try {
      const { client } = await sessionClient(global);
      await client.logout();
    } catch (error) {
      // An expired or revoked session is already logged out on the server; forget it locally anyway.
      if (errorCode(error) !== "UNAUTHORIZED") throw error;
    }
  }
  await writeConfig({ serverUrl: config.serverUrl });
  if (config.userId) await clearState(configDir(), config.userId);
  out("Logged out.");
}

export async function passwdCommand(
  global: GlobalOptions,
  options: { passwordStdin?: boolean },
): Promise<void> {
  const { client, config } = await sessionClient(global);
  const current = await readPassword(options, "Current password: ");
  await client.unlock(current);
  const next = process.env.UMBRA_NEW_PASSWORD
    ? process.env.UMBRA_NEW_PASSWORD
    : options.passwordStdin
      ? await stdinLine("the new password (second line)")
      : await readNewPassword({});
  if (next.length < 8) throw new CliError("INVALID_INPUT", "The password must be at least 8 characters long");
  await client.changePassword(next);
  await writeConfig({ ...config, keyBundle: client.session!.keyBundle });
  out("Password changed.");
}

export async function recoverCommand(
  global: GlobalOptions,
  options: { email: string; recoveryPhraseStdin?: boolean },
): Promise<void> {
  if (!options.recoveryPhraseStdin) {
    throw new CliError(
      "INVALID_INPUT",
      "Pass the recovery phrase on standard input with --recovery-phrase-stdin",
    );
  }
  const serverUrl = serverUrlFrom(global, await readConfig());
  const phrase = await stdinLine("the recovery phrase");
  // The new password: UMBRA_PASSWORD, else the second line of stdin, else a prompt on a terminal.
  const password = process.env.UMBRA_PASSWORD
    ? await readNewPassword({})
    : process.stdin.isTTY
      ? await readNewPassword({})
      : await readNewPassword({ fromSecondLine: true });
  const client = newClient(serverUrl);
  await client.recover(options.email, phrase, password);
  const session = await client.login(options.email, password);
  await saveSession(serverUrl, session);
  out("Password reset with the recovery phrase; every other session was logged out. Logged in.");
}

export async function sessionsCommand(
  global: GlobalOptions,
  options: { revoke?: string; revokeOthers?: boolean; json?: boolean },
): Promise<void> {
  const { client } = await sessionClient(global);
  if (options.revoke) {
    await client.revokeSession(options.revoke);
    out(`Revoked session ${options.revoke}.`);
    return;
  }
  if (options.revokeOthers) {
    out(`Revoked ${await client.revokeOtherSessions()} other session(s).`);
    return;
  }
  const sessions = await client.listSessions();
  if (options.json) {
    out(JSON.stringify(sessions));
    return;
  }
  for (const s of sessions) {
    out(
      `${s.id}  ${s.current ? "*" : " "} ${s.deviceName}  last used ${s.lastUsedAt}  expires ${s.expiresAt}`,
    );
  }
}
