import { KeyChangedError, type UmbraClient } from "@umbra/client";
import { CliError } from "../cli-error.js";
import { type GlobalOptions, unlockedClient } from "../context.js";
import { confirmOrRefuse } from "../secrets.js";
import { resolveAlbum } from "./library.js";
import { fingerprintOfKeys } from "./own-fingerprint.js";

type KeyedOptions = GlobalOptions & { passwordStdin?: boolean };

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A shared-with-me album by name or id. */
export async function resolveSharedAlbum(client: UmbraClient, name: string) {
  const { albums } = await client.sharing.sharedWithMe();
  const album =
    albums.find((a) => a.id === name || a.name === name) ??
    albums.find((a) => a.name.toLowerCase() === name.toLowerCase());
  if (!album) throw new CliError("NOT_FOUND", `No album named "${name}" is shared with you`);
  return album;
}

function keyChanged(error: unknown): never {
  if (error instanceof KeyChangedError) {
    throw new CliError(
      "KEY_CHANGED",
      `${error.message} Run \`umbra fingerprint ${error.email}\`, compare the number with them, then \`umbra fingerprint ${error.email} --trust\`.`,
    );
  }
  throw error;
}

export async function shareCommand(
  global: KeyedOptions,
  albumName: string,
  options: { with: string; role?: string; yes?: boolean },
): Promise<void> {
  const role = options.role ?? "viewer";
  if (role !== "viewer" && role !== "contributor") {
    throw new CliError("INVALID_INPUT", "--role must be viewer or contributor");
  }
  const { client } = await unlockedClient(global);
  await client.library.sync();
  const album = await resolveAlbum(client.library, albumName);
  // Who the server says EMAIL is, checked against this device's pins; nothing is pinned or sealed yet.
  const contact = await client.sharing.prepareShare(options.with).catch(keyChanged);
  if (contact.firstContact) {
    const you = client.session?.email ?? "YOUR_EMAIL";
    out(`${contact.email} is new to this device. Your safety number with them:`);
    out(`  ${contact.safetyNumber.digits}`);
    out(
      `Compare it with theirs (\`umbra fingerprint ${you}\` on their side) in person or on a call you trust; ` +
        "if it differs, the server is showing you someone else's keys.",
    );
    await confirmOrRefuse({
      yes: options.yes,
      question: `Share "${album.name}" with ${contact.email}? [y/N] `,
      refusal:
        `not shared: ${contact.email} is a new contact. Compare the safety number above with them, then run ` +
        "again with --yes (or in a terminal, to be asked)",
      declined: `not shared with ${contact.email}`,
    });
  }
  // Sealed only to the keys whose number was shown (the SDK refuses others with KEY_CHANGED).
  const member = await client.sharing
    .share(album.id, options.with, role, { confirmed: contact.safetyNumber.digits })
    .catch(keyChanged);
  out(`Shared "${album.name}" with ${member.email} as ${member.role}.`);
  if (contact.firstContact) return;
  out(
    `Safety number with ${member.email} (compare in person: \`umbra fingerprint ${member.email}\` on their side):`,
  );
  out(`  ${contact.safetyNumber.digits}`);
}

export async function unshareCommand(
  global: KeyedOptions,
  albumName: string,
  options: { with: string },
): Promise<void> {
  const { client } = await unlockedClient(global);
  await client.library.sync();
  const own = (await client.library.albums()).find((a) => a.name === albumName || a.id === albumName);
  if (own) {
    await client.sharing.removeMembers(own.id, [options.with]).catch(keyChanged);
    out(
      `Removed ${options.with} from "${own.name}"; the album key was rotated for everything added from now on.`,
    );
    return;
  }
  // Not ours: `--with` naming ourselves leaves the album.
  const shared = await resolveSharedAlbum(client, albumName);
  if (options.with.toLowerCase() !== client.session?.email.toLowerCase()) {
    throw new CliError(
      "INVALID_INPUT",
      `Only the owner (${shared.ownerEmail}) can remove others from "${shared.name}"`,
    );
  }
  await client.sharing.leave(shared.id);
  out(`Left "${shared.name}".`);
}

export async function leaveCommand(global: KeyedOptions, albumName: string): Promise<void> {
  const { client } = await unlockedClient(global);
  const shared = await resolveSharedAlbum(client, albumName);
  await client.sharing.leave(shared.id);
  out(`Left "${shared.name}".`);
}

export async function sharedCommand(global: KeyedOptions, options: { json?: boolean }): Promise<void> {
  const { client } = await unlockedClient(global);
  const { albums, rejected } = await client.sharing.sharedWithMe();
  if (options.json) {
    out(JSON.stringify({ albums, rejected }, null, 2));
    return;
  }
  for (const a of albums) out(`${a.id}  ${a.name}  from ${a.ownerEmail}  (${a.role})`);
  for (const r of rejected) process.stderr.write(`umbra: warning: album ${r.id} hidden: ${r.reason}\n`);
}

export async function fingerprintCommand(
  global: KeyedOptions,
  email: string | undefined,
  options: { trust?: boolean; json?: boolean },
): Promise<void> {
  const { client } = await unlockedClient(global);
  if (!email) {
    const own = await fingerprintOfKeys(client);
    if (options.json) out(JSON.stringify(own));
    else {
      out(`Your key fingerprint (${own.email}):`);
      out(`  ${own.digits}`);
      out(
        "To verify someone, run `umbra fingerprint THEIR_EMAIL` on both sides and compare the safety numbers.",
      );
    }
    return;
  }
  if (options.trust) await client.contacts.trust(email);
  const number = await client.sharing.safetyNumber(email).catch(keyChanged);
  if (options.json) {
    out(
      JSON.stringify({
        email: number.email,
        userId: number.userId,
        safetyNumber: number.digits,
        qr: number.qrPayload,
      }),
    );
    return;
  }
  out(`Safety number with ${number.email}${options.trust ? " (keys now trusted)" : ""}:`);
  out(`  ${number.digits}`);
  out("It must read the same on their screen; if not, do not share with them.");
}
