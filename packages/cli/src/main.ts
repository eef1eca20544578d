import { Command, CommanderError } from "commander";
import {
  loginCommand,
  logoutCommand,
  passwdCommand,
  recoverCommand,
  sessionsCommand,
  signupCommand,
} from "./commands/account.js";
import { backupCommand } from "./commands/backup.js";
import { exportCommand } from "./commands/export.js";
import { identityCreateCommand } from "./commands/identity.js";
import {
  albumsCommand,
  downloadCommand,
  lsCommand,
  mvCommand,
  renameCommand,
  rmCommand,
  trashCommand,
} from "./commands/library.js";
import {
  linkCreateCommand,
  linkDownloadCommand,
  linkListCommand,
  linkRevokeCommand,
} from "./commands/links.js";
import { registerRenditionsCommand } from "./commands/renditions.js";
import { restoreOfflineCommand } from "./commands/restore-offline.js";
import {
  fingerprintCommand,
  leaveCommand,
  shareCommand,
  sharedCommand,
  unshareCommand,
} from "./commands/sharing.js";
import { uploadCommand } from "./commands/upload.js";
import { verifyCommand } from "./commands/verify.js";
import { describeFailure, EXIT } from "./errors-output.js";
import { flushStderr } from "./warnings-output.js";

export function buildProgram(): Command {
  const program = new Command("umbra")
    .description("Umbra: a zero-knowledge photo and video vault")
    .option("--server <url>", "server URL (default: UMBRA_SERVER, else the one used at login)")
    .showHelpAfterError()
    .exitOverride();
  const g = () => program.opts<{ server?: string }>();
  const withKeys = (cmd: Command) =>
    cmd.option("--password-stdin", "read the password from the first line of standard input");

  program
    .command("signup")
    .description("create an account (and log in); prints the recovery phrase once")
    .requiredOption("--email <email>")
    .option("--password-stdin", "read the new password from standard input")
    .option("--json", 'print {"recoveryPhrase": "…"}')
    .action((o) => signupCommand(g(), o));
  withKeys(
    program.command("login").description("log in on this device").requiredOption("--email <email>"),
  ).action((o) => loginCommand(g(), o));
  program
    .command("logout")
    .description("end this device's session")
    .action(() => logoutCommand(g()));
  withKeys(
    program.command("passwd").description("change the password (new one: 2nd stdin line or prompt)"),
  ).action((o) => passwdCommand(g(), o));
  program
    .command("recover")
    .description("reset the password with the recovery phrase")
    .requiredOption("--email <email>")
    .option("--recovery-phrase-stdin", "read the phrase from the first line of standard input")
    .action((o) => recoverCommand(g(), o));
  program
    .command("sessions")
    .description("list sessions, or revoke some")
    .option("--revoke <id>", "revoke one session")
    .option("--revoke-others", "revoke every session but this one")
    .option("--json")
    .action((o) => sessionsCommand(g(), o));

  withKeys(
    program
      .command("upload")
      .description("encrypt and upload files and folders (photos and videos unless --all)")
      .argument("[paths...]")
      .option("--album <name>", "put the files in this album (default: the library)")
      .option("--jobs <n>", "files uploaded in parallel", "3")
      .option("--all", "upload every file, not only photos and videos")
      .option("--follow", "upload one FILE that is still being written, as it grows (live)")
      .option(
        "--idle-exit <seconds>",
        "with --follow: finish once the file has not grown this long (default 30)",
      )
      .option("--stdin", "upload standard input as it arrives (live), finishing at its end; needs --name")
      .option("--name <name>", "with --stdin: the file's name")
      .option("--recover", "only finish interrupted live recordings (every upload does this first)")
      .option("--stale <seconds>", "live recordings silent this long count as interrupted (default 60)"),
  ).action((paths, o) => uploadCommand({ ...g(), ...o }, paths, o));
  withKeys(program.command("ls").description("list files").option("--album <name>").option("--json")).action(
    (o) => lsCommand({ ...g(), ...o }, o),
  );
  withKeys(
    program
      .command("download")
      .description("download and decrypt one file")
      .argument("<id>")
      .requiredOption("--out <path>"),
  ).action((id, o) => downloadCommand({ ...g(), ...o }, id, o));
  withKeys(
    program
      .command("export")
      .description("decrypt every original into DIR/YYYY/MM/ with JSON sidecars")
      .argument("<dir>"),
  ).action((dir, o) => exportCommand({ ...g(), ...o }, dir));
  withKeys(
    program
      .command("albums")
      .description("list albums, or create/rename/delete one")
      .option("--create <name>")
      .option("--rename <name>")
      .option("--to <newName>")
      .option("--delete <name>")
      .option("--json"),
  ).action((o) => albumsCommand({ ...g(), ...o }, o));
  withKeys(
    program
      .command("mv")
      .description("move files to an album")
      .argument("<ids...>")
      .requiredOption("--to <album>")
      .option("--from <album>", "the album to take them out of (default: their other album)")
      .option("--copy", "add to the album, keep them where they are")
      .option("--create", "create the target album if missing"),
  ).action((ids, o) => mvCommand({ ...g(), ...o }, ids, o));
  withKeys(program.command("rename").description("rename a file").argument("<id>").argument("<name>")).action(
    (id, name, o) => renameCommand({ ...g(), ...o }, id, name),
  );
  withKeys(program.command("rm").description("move files to the trash").argument("<ids...>")).action(
    (ids, o) => rmCommand({ ...g(), ...o }, ids),
  );
  withKeys(
    program
      .command("verify")
      .description("compare the server's listing with your devices' record of your library")
      .option("--accept", "make the current listing the record (after checking every difference)")
      .option("-y, --yes", "accept without asking")
      .option("--json"),
  ).action((o) => verifyCommand({ ...g(), ...o }, o));
  withKeys(
    program
      .command("trash")
      .description("list the trash, restore a file, or empty it")
      .option("--restore <id>")
      .option("--empty")
      .option("--json"),
  ).action((o) => trashCommand({ ...g(), ...o }, o));
  withKeys(
    program
      .command("share")
      .description("share an album you own with another Umbra user")
      .argument("<album>")
      .requiredOption("--with <email>")
      .option("--role <role>", "viewer or contributor", "viewer")
      .option(
        "-y, --yes",
        "share with a new contact without asking (compare the printed safety number with them first)",
      ),
  ).action((album, o) => shareCommand({ ...g(), ...o }, album, o));
  withKeys(
    program
      .command("unshare")
      .description("remove someone from your album (rotates its key), or leave with your own email")
      .argument("<album>")
      .requiredOption("--with <email>"),
  ).action((album, o) => unshareCommand({ ...g(), ...o }, album, o));
  withKeys(program.command("leave").description("leave an album shared with you").argument("<album>")).action(
    (album, o) => leaveCommand({ ...g(), ...o }, album),
  );
  withKeys(program.command("shared").description("albums shared with you").option("--json")).action((o) =>
    sharedCommand({ ...g(), ...o }, o),
  );
  withKeys(
    program
      .command("fingerprint")
      .description("your key fingerprint, or the safety number you share with EMAIL")
      .argument("[email]")
      .option("--trust", "accept EMAIL's current keys after comparing safety numbers in person")
      .option("--json"),
  ).action((email, o) => fingerprintCommand({ ...g(), ...o }, email, o));
  const identity = program.command("identity").description("your account's sharing keys");
  withKeys(
    identity
      .command("create")
      .description("create and publish sharing keys when the server presents none (only when you ask)")
      .option("--replace", "also when this device saw your keys before: shares sealed to them stop opening")
      .option("-y, --yes", "with --replace: do not ask for confirmation"),
  ).action((o) => identityCreateCommand({ ...g(), ...o }, o));
  registerRenditionsCommand(program, g, withKeys);
  const link = program.command("link").description("public links to albums and files");
  link
    .command("create")
    .description("create a public link (prints the URL; the secret after # never reaches the server)")
    .argument("<album-or-file-id>")
    .option("--password-stdin", "protect the link with a password read from standard input")
    .option("--expires <duration>", "e.g. 7d, 12h, 2w, or a date")
    .option("--no-download", "viewing only: no download of originals")
    .option("--json", 'print {"url": …}')
    .action((target, o) => linkCreateCommand(g(), target, o));
  withKeys(link.command("revoke").description("revoke a link by id or URL").argument("<link>")).action(
    (target, o) => linkRevokeCommand({ ...g(), ...o }, target),
  );
  withKeys(link.command("list").description("your links").option("--json")).action((o) =>
    linkListCommand({ ...g(), ...o }, o),
  );
  link
    .command("download")
    .description("download everything behind a public link (no account needed)")
    .argument("<url>")
    .requiredOption("--out <dir>")
    .option("--password-stdin", "the link's password, from standard input")
    .action((url, o) => linkDownloadCommand(url, o));

  program
    .command("backup")
    .description("copy everything needed to decrypt without the server into DIR (incremental)")
    .argument("<dir>")
    .action((dir) => backupCommand(g(), dir));
  program
    .command("restore-offline")
    .description("decrypt a backup with no server")
    .argument("<dir>")
    .requiredOption("--out <dir>")
    .option("--recovery-phrase-stdin")
    .option("--password-stdin")
    .action((dir, o) => restoreOfflineCommand(dir, o));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT.usage;
    }
    const { line, exitCode } = describeFailure(error);
    process.stderr.write(`umbra: error: ${line}\n`);
    if (process.env.UMBRA_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    return exitCode;
  } finally {
    // Warnings are printed as they are raised; make sure the last ones reached stderr before the exit.
    await flushStderr();
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`umbra: error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
