import { PublicLink } from "@umbra/client";
import { FILE_ID_PATTERN } from "@umbra/protocol";
import { CliError } from "../cli-error.js";
import { type GlobalOptions, unlockedClient } from "../context.js";
import { fileDate, safeFileName, uniquePath, writeStreamAtomically } from "../output-files.js";
import { formatBytes } from "../progress-render.js";
import { stdinLine } from "../secrets.js";
import { resolveAlbum } from "./library.js";

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "7d", "12h", "30m", "2w", or an ISO date. */
export function parseExpiry(text: string, now = Date.now()): Date {
  const match = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  const date = match ? new Date(now + Number(match[1]) * UNITS[match[2]!]!) : new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new CliError(
      "INVALID_INPUT",
      `--expires takes a duration like 7d, 12h, 30m, 2w or a date, not "${text}"`,
    );
  }
  if (date.getTime() <= now) throw new CliError("INVALID_INPUT", "--expires must be in the future");
  return date;
}

export async function linkCreateCommand(
  global: GlobalOptions,
  target: string,
  options: { passwordStdin?: boolean; expires?: string; download?: boolean; json?: boolean },
): Promise<void> {
  const expiresAt = options.expires ? parseExpiry(options.expires) : undefined;
  // stdin carries the link's password here; the account password comes from UMBRA_PASSWORD or the prompt.
  const password = options.passwordStdin ? await stdinLine("the link password") : undefined;
  const { client } = await unlockedClient({ ...global, passwordStdin: false });
  await client.library.sync();
  const isFile = FILE_ID_PATTERN.test(target);
  const link = await client.links.create(
    isFile ? { fileId: target } : { albumId: (await resolveAlbum(client.library, target)).id },
    { password, expiresAt, allowDownload: options.download !== false },
  );
  if (options.json) {
    out(
      JSON.stringify({
        url: link.url,
        id: link.linkId,
        expiresAt: link.record.expiresAt,
        allowDownload: link.record.allowDownload,
        password: Boolean(password),
      }),
    );
    return;
  }
  out(link.url);
  process.stderr.write(
    `Anyone with this URL can open it${password ? " (and must know the password)" : ""}` +
      `${expiresAt ? ` until ${expiresAt.toISOString()}` : ""}; revoke it with \`umbra link revoke ${link.linkId}\`.\n`,
  );
}

export async function linkRevokeCommand(global: GlobalOptions & { passwordStdin?: boolean }, link: string) {
  const { client } = await unlockedClient(global);
  const id = await client.links.revoke(link);
  out(`Revoked ${id}.`);
}

export async function linkListCommand(
  global: GlobalOptions & { passwordStdin?: boolean },
  options: { json?: boolean },
) {
  const { client } = await unlockedClient(global);
  const links = await client.links.list();
  if (options.json) {
    out(JSON.stringify(links, null, 2));
    return;
  }
  for (const l of links) {
    const state = l.revokedAt
      ? "revoked"
      : l.expiresAt && l.expiresAt <= new Date().toISOString()
        ? "expired"
        : "live";
    out(
      `${l.id}  ${l.kind} ${l.targetId}  ${state}${l.kdf ? "  password" : ""}${l.allowDownload ? "" : "  no-download"}`,
    );
  }
}

/** Downloads everything behind a public link: no account, no login; the secret never leaves this machine. */
export async function linkDownloadCommand(url: string, options: { out: string; passwordStdin?: boolean }) {
  const password = options.passwordStdin ? await stdinLine("the link password") : undefined;
  const link = await PublicLink.open(url, { password });
  if (!link.verified) {
    process.stderr.write(
      "umbra: warning: this album link was made before links carried the list of who may add files: who placed " +
        "each file cannot be checked, so some may have been added by a member with the server's help, not by " +
        "the owner. Ask the owner for a new link.\n",
    );
  }
  if (!link.allowDownload)
    throw new CliError("FORBIDDEN", "This link does not allow downloading the originals");
  const reserved = new Set<string>();
  for (const file of link.files) {
    const target = await uniquePath(options.out, safeFileName(file.metadata.name), reserved);
    const { stream } = await link.download(file.id);
    const written = await writeStreamAtomically(target, stream, {
      mtime: fileDate(file.metadata, new Date().toISOString()),
    });
    out(`${target} (${formatBytes(written)})`);
  }
  if (link.unreadable.length > 0) {
    process.stderr.write(
      `umbra: warning: ${link.unreadable.length} file(s) behind this link could not be opened\n`,
    );
  }
}
