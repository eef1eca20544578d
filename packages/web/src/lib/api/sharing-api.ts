import type {
  Links,
  MemberEntry,
  RejectedRecord,
  SharedAlbumEntry,
  SharedFileEntry,
  UmbraClient,
} from "@umbra/client";
import { isSupportedMedia } from "../media/media-prep.js";
import { vault } from "../state/vault.svelte.js";
import { browserMediaHooks, fileSource } from "./browser-upload-source.js";
import { codeOf, SafetyNumberChangedError } from "./error-code.js";

export type { MemberEntry, RejectedRecord, SharedAlbumEntry, SharedFileEntry };
export type LinkInfo = Awaited<ReturnType<Links["list"]>>[number];
export type ShareRole = "viewer" | "contributor";

/** Sharing goes straight to the SDK (vault.api.sdk): albums of others never enter the library view. */
function sdk(): UmbraClient {
  return vault.api.sdk;
}

/** The SDK's KeyChangedError, recognised by its stable code (instanceof breaks across bundles). */
export function isKeyChanged(error: unknown): boolean {
  return codeOf(error) === "KEY_CHANGED";
}

export function myUserId(): string | undefined {
  return sdk().session?.userId;
}

export function sharedWithMe() {
  return sdk().sharing.sharedWithMe();
}

export function members(albumId: string) {
  return sdk().sharing.members(albumId);
}

/** Who the server says `email` is, checked against this device's pins (KEY_CHANGED when it differs), unpinned. */
export function prepareShare(email: string) {
  return sdk().sharing.prepareShare(email);
}

export type PreparedShare = Awaited<ReturnType<typeof prepareShare>>;

/** Pins on first contact: call it only for someone already pinned or confirmed with `pinConfirmed`. */
export function share(albumId: string, email: string, role: ShareRole) {
  return sdk().sharing.share(albumId, email, role);
}

/**
 * Shares with someone new once the user compared the safety number: the SDK seals only to the keys of exactly that
 * number (and pins them). If the server presents other keys now, nothing is pinned or shared and
 * SAFETY_NUMBER_CHANGED is thrown (the caller shows the new number).
 */
export async function shareConfirmed(
  albumId: string,
  email: string,
  role: ShareRole,
  confirmed: PreparedShare,
) {
  try {
    return await sdk().sharing.share(albumId, email, role, { confirmed: confirmed.safetyNumber.digits });
  } catch (error) {
    if (!isKeyChanged(error)) throw error;
    throw new SafetyNumberChangedError(
      `The server now presents other keys for ${email} than the ones you compared; nothing was shared.`,
    );
  }
}

/** Removal rotates the album key: what the member saw stays seen, later files are sealed under a new key. */
export function removeMember(albumId: string, emailOrUserId: string) {
  return sdk().sharing.removeMembers(albumId, [emailOrUserId]);
}

export function leave(albumId: string) {
  return sdk().sharing.leave(albumId);
}

/** By user id (the pinned account) or email; `unpinned`: for the keys the server presents now, even changed ones. */
export function safetyNumber(who: string, options: { unpinned?: boolean } = {}) {
  return sdk().sharing.safetyNumber(who, options);
}

/** After the user compared safety numbers again: pin whatever keys the server presents now. */
export function trustContact(email: string) {
  return sdk().contacts.trust(email);
}

/**
 * Members only see placements their uploader signed; files the owner put in the album through the library
 * (Add to album) are unsigned until signed here.
 */
export function signOwnPlacements(albumId: string) {
  return sdk().sharedFiles.signOwn(albumId);
}

export function albumFiles(albumId: string) {
  return sdk().sharedFiles.list(albumId);
}

export function sharedThumbnail(albumId: string, fileId: string, variant: "grid" | "preview") {
  return sdk().sharedFiles.thumbnail(albumId, fileId, variant);
}

export async function downloadShared(albumId: string, fileId: string): Promise<Blob> {
  const { stream, entry } = await sdk().sharedFiles.download(albumId, fileId);
  return new Blob([await new Response(stream).arrayBuffer()], { type: entry.metadata.mime });
}

export function removeSharedFile(albumId: string, fileId: string) {
  return sdk().sharedFiles.remove(albumId, fileId);
}

/**
 * Uploads into a shared album as contributor: the SDK puts each file in our own library, then places it in the
 * album wrapped under the album key and signed. Files already in the library are placed without re-uploading.
 */
export async function uploadToShared(albumId: string, files: File[]) {
  const media = files.filter(isSupportedMedia);
  const summary = await sdk().upload(media.map(fileSource), browserMediaHooks, { albumId, jobs: 2 });
  return {
    added: summary.uploaded.length + summary.skipped.length,
    failed: summary.failed.length,
    ignored: files.length - media.length,
    firstError: summary.failed[0]?.error,
  };
}

export const EXPIRY_CHOICES = [
  { value: 0, label: "Never" },
  { value: 1, label: "1 day" },
  { value: 7, label: "7 days" },
  { value: 30, label: "30 days" },
] as const;

/** What a public link opens: a whole album or one file. */
export type LinkTarget = { albumId: string } | { fileId: string };

export function createAlbumLink(
  albumId: string,
  options: { password: string; expiresInDays: number; allowDownload: boolean },
) {
  return createLink({ albumId }, options);
}

export function createLink(
  target: LinkTarget,
  options: { password: string; expiresInDays: number; allowDownload: boolean },
) {
  return sdk().links.create(target, {
    password: options.password || undefined,
    expiresAt: options.expiresInDays ? new Date(Date.now() + options.expiresInDays * 86_400_000) : undefined,
    allowDownload: options.allowDownload,
  });
}

/** The album's links still in force (revoked ones are gone for good, so not worth listing). */
export function albumLinks(albumId: string): Promise<LinkInfo[]> {
  return linksTo({ albumId });
}

/** The links to an album or a file still in force. */
export async function linksTo(target: LinkTarget): Promise<LinkInfo[]> {
  const [kind, id] = "albumId" in target ? ["album", target.albumId] : ["file", target.fileId];
  const all = await sdk().links.list();
  return all
    .filter((l) => l.kind === kind && l.targetId === id && !l.revokedAt)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function revokeLink(linkId: string) {
  return sdk().links.revoke(linkId);
}
