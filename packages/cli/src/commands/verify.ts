import { noDiscrepancies } from "@umbra/client";
import { CliError } from "../cli-error.js";
import { type GlobalOptions, unlockedClient } from "../context.js";
import { confirmOrRefuse } from "../secrets.js";

type KeyedOptions = GlobalOptions & { passwordStdin?: boolean };

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

const KINDS = {
  hidden: "recorded by your devices, missing from the server's listing",
  unexpected: "listed by the server, never recorded by your devices",
  changed: "names or details other than your devices recorded",
  trash: "in or out of the trash without your devices doing it",
  placements: "in other albums than your devices placed them in",
  albums: "albums hidden, brought back or with an older key",
} as const;

/**
 * `umbra verify [--accept]`: compares the server's listing with the library checkpoint your devices keep. Exit 0
 * when they agree; LIBRARY_MISMATCH (integrity exit code) when they do not. `--accept` makes the listing the
 * checkpoint, after you have checked that every difference is your own doing.
 */
export async function verifyCommand(
  global: KeyedOptions,
  options: { accept?: boolean; yes?: boolean; json?: boolean },
): Promise<void> {
  const { client } = await unlockedClient(global);
  await client.library.sync();
  const found = client.library.discrepancies ?? noDiscrepancies();
  const total = Object.values(found).flat().length;
  if (options.json) out(JSON.stringify(found, null, 2));
  else {
    for (const [kind, ids] of Object.entries(found) as [keyof typeof KINDS, string[]][])
      for (const id of ids) out(`${id}  ${KINDS[kind]}`);
    if (total === 0) out("Your library matches what your devices recorded.");
  }
  if (total === 0) return;
  if (!options.accept) {
    throw new CliError(
      "LIBRARY_MISMATCH",
      `${total} difference${total === 1 ? "" : "s"} between the server's listing and your devices' record. If each ` +
        "one is your own doing (a device went offline mid-change), run `umbra verify --accept`.",
    );
  }
  await confirmOrRefuse({
    yes: options.yes,
    question: `Accept the listing above as your library (${total} difference${total === 1 ? "" : "s"})? [y/N] `,
    refusal:
      "not accepted: run again with --yes after checking the differences above (or in a terminal, to be asked)",
    declined: "not accepted",
  });
  await client.library.acceptCurrentState();
  out("Accepted: your devices now check against this listing.");
}
