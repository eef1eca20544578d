import { toBase64Url } from "@umbra/crypto";
import {
  deriveLinkKeys,
  generateLinkSecret,
  type Identity,
  type LinkPassword,
  type LinkTarget,
  newLinkKdfParams,
  sealLinkOwner,
  signLinkRoster,
  wrapKeyForLink,
} from "@umbra/crypto/sharing";
import { type LinkRecord, type LinkRoster, LinksResponse } from "@umbra/protocol";
import type { AlbumEvents } from "./album-events.js";
import { UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import type { Library } from "./library.js";
import { linkUrl, ownerKeyTag, parseLinkUrl } from "./link-url.js";

export interface CreateLinkOptions {
  password?: string;
  /** Absolute expiry; omitted = never. */
  expiresAt?: Date;
  /** Default true. */
  allowDownload?: boolean;
}

export interface CreatedLink {
  url: string;
  linkId: string;
  record: LinkRecord;
}

export interface LinksDeps {
  userId: string;
  identity: () => Promise<Identity>;
  /** The album's contributors the owner signed grants for, with their pinned signing keys. */
  contributors: (albumId: string) => Promise<{ userId: string; signingPublicKey: string; grant: unknown }[]>;
  /** Signs the owner's own placements in the album (link visitors trust only signed ones). */
  signOwnPlacements: (albumId: string) => Promise<number>;
  /** Members changing re-signs the album's link rosters. */
  events: AlbumEvents;
}

/** Creating and revoking public links to one's own albums and files. */
export class Links {
  constructor(
    private readonly http: HttpTransport,
    private readonly library: Library,
    private readonly deps: LinksDeps,
  ) {
    deps.events.on("membersChanged", (albumId) => this.refreshRosters(albumId));
  }

  /** The roster a visitor checks placements against: who may place files, signed by the owner (SPEC §18). */
  private async signedRoster(linkId: string, albumId: string) {
    const identity = await this.deps.identity();
    return signLinkRoster(identity.signing.privateKey, {
      linkId,
      albumId,
      ownerId: this.deps.userId,
      issuedAt: new Date().toISOString(),
      contributors: await this.deps.contributors(albumId),
    });
  }

  /** Re-signs the rosters of the album's live links after its contributors changed. */
  async refreshRosters(albumId: string): Promise<void> {
    for (const link of await this.list()) {
      if (link.kind !== "album" || link.targetId !== albumId || link.revokedAt || !link.roster) continue;
      const roster: LinkRoster = { ...link.roster, signed: await this.signedRoster(link.id, albumId) };
      await this.http.json(`/api/links/${link.id}/roster`, null, { method: "PUT", body: { roster } });
    }
  }

  /** Whether the album has a live public link (its placements must then be signed for visitors). */
  async hasAlbumLink(albumId: string): Promise<boolean> {
    return (await this.list()).some((l) => l.kind === "album" && l.targetId === albumId && !l.revokedAt);
  }

  async create(target: { albumId: string } | { fileId: string }, options: CreateLinkOptions = {}) {
    const secret = generateLinkSecret();
    const { linkId, linkKey } = await deriveLinkKeys(secret);
    // Link password format v2 (SPEC §18): Argon2id, m = 64 MiB, t = 3, p = 1.
    const password: LinkPassword | undefined = options.password
      ? { password: options.password, kdf: newLinkKdfParams() }
      : undefined;
    let key: Uint8Array;
    let linkTarget: LinkTarget;
    let keyVersion = 1;
    if ("albumId" in target) {
      const state = await this.library.sync();
      const album = state.albums[target.albumId];
      if (!album) throw new UmbraClientError("NOT_FOUND", `You own no album ${target.albumId}`);
      key = await this.library.albumKey(target.albumId);
      keyVersion = album.keyVersion ?? 1;
      linkTarget = { purpose: "link-album-key", linkId, objectId: target.albumId };
    } else {
      const { record } = await this.library.file(target.fileId);
      key = await this.library.fileKey(record);
      linkTarget = { purpose: "link-file-key", linkId, objectId: target.fileId };
    }
    const wrapped = await wrapKeyForLink(linkKey, key, linkTarget, password);
    let roster: LinkRoster | null = null;
    let ownerTag: string | undefined;
    if ("albumId" in target) {
      const identity = await this.deps.identity();
      ownerTag = await ownerKeyTag(identity.signing.publicKey);
      const owner = await sealLinkOwner(
        linkKey,
        linkId,
        target.albumId,
        this.deps.userId,
        identity.signing.publicKey,
      );
      roster = {
        v: 1,
        ownerId: this.deps.userId,
        owner: toBase64Url(owner),
        signed: await this.signedRoster(linkId, target.albumId),
      };
      // Visitors show only signed placements: sign ours first.
      await this.deps.signOwnPlacements(target.albumId);
    }
    const record = await this.http.json("/api/links", LinksResponse.shape.links.element, {
      body: {
        id: linkId,
        kind: "albumId" in target ? "album" : "file",
        targetId: linkTarget.objectId,
        wrappedKey: toBase64Url(wrapped),
        keyVersion,
        kdf: password?.kdf ?? null,
        expiresAt: options.expiresAt ? options.expiresAt.toISOString() : null,
        allowDownload: options.allowDownload ?? true,
        roster,
      },
    });
    return { url: linkUrl(this.http.serverUrl, secret, ownerTag), linkId, record } satisfies CreatedLink;
  }

  async list(): Promise<LinkRecord[]> {
    return (await this.http.json("/api/links", LinksResponse)).links;
  }

  /** Revokes by link id or by the full URL (whose id is derived from the secret). */
  async revoke(linkIdOrUrl: string): Promise<string> {
    const linkId = linkIdOrUrl.startsWith("l_")
      ? linkIdOrUrl
      : (await deriveLinkKeys(parseLinkUrl(linkIdOrUrl).secret)).linkId;
    await this.http.json(`/api/links/${linkId}`, null, { method: "DELETE" });
    return linkId;
  }
}
