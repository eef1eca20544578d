import { errorCode } from "@umbra/client";
import { CliError } from "../cli-error.js";
import { type GlobalOptions, unlockedClient } from "../context.js";
import { confirmOrRefuse } from "../secrets.js";
import { muteWarnings } from "../warnings-output.js";
import { fingerprintOfKeys } from "./own-fingerprint.js";

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

const REPLACE_WARNING = [
  "WARNING: this creates NEW sharing keys for your account and publishes them in place of any the server lost",
  "or hides. Albums others shared with you are sealed to your old keys: they STOP OPENING until their owners",
  "share them again. Everyone you share with will see a changed safety number and must verify you again",
  "(`umbra fingerprint YOUR_EMAIL --trust` on their side after comparing). If the server lost your keys by",
  "mistake, ask its operator to restore them first: that keeps everything working.",
].join("\n");

/** `umbra identity create [--replace]`: publishes sharing keys when the server presents none, only when asked. */
export async function identityCreateCommand(
  global: GlobalOptions & { passwordStdin?: boolean },
  options: { replace?: boolean; yes?: boolean },
): Promise<void> {
  // This command is the answer to that warning: it explains the situation itself.
  muteWarnings("IDENTITY_MISSING");
  const { client } = await unlockedClient(global);
  const present = await fingerprintOfKeys(client).catch((error: unknown) => {
    if (errorCode(error) === "IDENTITY_MISSING") return undefined;
    throw error;
  });
  if (present) {
    out("This account already has sharing keys on the server: nothing changed.");
    out(`Your key fingerprint (${present.email}):`);
    out(`  ${present.digits}`);
    return;
  }
  if (options.replace) {
    process.stderr.write(`${REPLACE_WARNING}\n`);
    await confirmOrRefuse({
      yes: options.yes,
      question: "Replace your sharing keys? [y/N] ",
      refusal: "sharing keys not replaced: read the warning above, then run again with --replace --yes",
      declined: "sharing keys not replaced",
    });
  }
  try {
    await client.createIdentity({ replace: options.replace === true });
  } catch (error) {
    if (errorCode(error) !== "IDENTITY_MISSING") throw error;
    // Without --replace: this device saw the account's keys before, and the server no longer presents them.
    throw new CliError(
      "IDENTITY_MISSING",
      `${(error as Error).message} To give up what was shared with the old keys and create new ones anyway: ` +
        "`umbra identity create --replace`.",
    );
  }
  const created = await fingerprintOfKeys(client);
  out("Created and published new sharing keys.");
  out(`Your key fingerprint (${created.email}):`);
  out(`  ${created.digits}`);
  out(
    "People you share with will see a new safety number with you: compare it with them again " +
      `(\`umbra fingerprint ${created.email}\` on their side).`,
  );
}
