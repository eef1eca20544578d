import {
  assertLinkKdfParams,
  ciphertextDigest,
  createDecryptStream,
  decryptAlbumName,
  decryptThumbnail,
  deriveLinkKeys,
  fromBase64Url,
  generateLinkSecret,
  type Identity,
  type LinkPassword,
  type LinkTarget,
  newLinkKdfParams,
  openLinkOwner,
  sealLinkOwner,
  signLinkRoster,
  type ThumbnailVariant,
  toBase64Url,
  unwrapKeyForLink,
  unwrapPreviousAlbumKey,
  verifyFileRecord,
  verifyGrant,
  verifyLinkRoster,
  wrapKeyForLink,
} from "@umbra/crypto";
import { type LinkRecord, type LinkRoster, LinksResponse, PublicLinkResponse } from "@umbra/protocol";
import { guardedBody } from "./download.js";
import { UmbraClientError } from "./errors.js";
import { apiErrorFrom, HttpTransport } from "./http.js";
import { contentAssociatedData, decryptFileMetadata, unwrapFileKeyFor } from "./keys.js";
import type { Library } from "./library.js";
import type { FileMetadata } from "./metadata.js";

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

/**
 * The web app's link page lives at /s; the secret rides in the fragment, which browsers never send. Album links
 * add `.` and a tag of the owner's signing key (SPEC §18): visitors then require the roster and that owner.
 */
export function linkUrl(serverUrl: string, secret: string, ownerTag?: string): string {
  return `${serverUrl.replace(/\/+$/, "")}/s#${secret}${ownerTag ? `.${ownerTag}` : ""}`;
}

/** The first 22 base64url characters (128 bits) of SHA-256 of an owner's Ed25519 public key. */
export async function ownerKeyTag(signingPublicKey: Uint8Array): Promise<string> {
  return (await ciphertextDigest(signingPublicKey)).slice(0, 22);
}

/** Splits a link URL into its server, secret and (album links made since rosters) owner tag. */
export function parseLinkUrl(url: string): { serverUrl: string; secret: string; ownerTag?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UmbraClientError("INVALID_INPUT", "That is not a link URL");
  }
  const match = /^([A-Za-z0-9_-]{43})(?:\.([A-Za-z0-9_-]{22}))?$/.exec(parsed.hash.replace(/^#/, ""));
  if (!match) {
    throw new UmbraClientError("INVALID_INPUT", "The link has no valid secret after '#' (was it cut off?)");
  }
  const path = parsed.pathname.replace(/\/s\/?$/, "");
  return {
    serverUrl: `${parsed.origin}${path}`,
    secret: match[1]!,
    ...(match[2] ? { ownerTag: match[2] } : {}),
  };
}

export interface LinksDeps {
  userId: string;
  identity: () => Promise<Identity>;
  /** The album's contributors the owner signed grants for, with their pinned signing keys. */
  contributors: (albumId: string) => Promise<{ userId: string; signingPublicKey: string; grant: unknown }[]>;
  /** Signs the owner's own placements in the album (link visitors trust only signed ones). */
  signOwnPlacements: (albumId: string) => Promise<number>;
}

/** Creating and revoking public links to one's own albums and files. */
export class Links {
  constructor(
    private readonly http: HttpTransport,
    private readonly library: Library,
    private readonly deps: LinksDeps,
  ) {}

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

export interface LinkFileEntry {
  id: string;
  metadata: FileMetadata;
  contentSize: number;
}

/** An opened public link: no account, only the secret from the URL (and the password when it has one). */
export class PublicLink {
  private constructor(
    private readonly http: HttpTransport,
    readonly linkId: string,
    readonly kind: "album" | "file",
    readonly albumName: string | null,
    readonly allowDownload: boolean,
    readonly expiresAt: string | null,
    readonly files: LinkFileEntry[],
    /** Files the link's key cannot open (added after a key rotation), or whose placement fails verification. */
    readonly unreadable: string[],
    /**
     * False for album links made before rosters (SPEC §18): who placed each file cannot be checked, so a member
     * with the server's help could have added some. The link page says so.
     */
    readonly verified: boolean,
    private readonly fileKeys: Map<string, Uint8Array>,
  ) {}

  /** GONE for a revoked or expired link; PASSWORD_REQUIRED / WRONG_PASSWORD for password links. */
  static async open(
    url: string,
    options: { password?: string; fetch?: typeof fetch; serverUrl?: string } = {},
  ): Promise<PublicLink> {
    const parsed = parseLinkUrl(url);
    const http = new HttpTransport({
      serverUrl: options.serverUrl ?? parsed.serverUrl,
      fetch: options.fetch,
    });
    const { linkId, linkKey } = await deriveLinkKeys(parsed.secret);
    const link = await http.json(`/api/public/links/${linkId}`, PublicLinkResponse, { anonymous: true });
    if (link.kdf && !options.password) {
      throw new UmbraClientError("PASSWORD_REQUIRED", "This link is protected by a password");
    }
    let password: LinkPassword | undefined;
    if (link.kdf && options.password) {
      // Argon2id (v2) or, on links made before it, PBKDF2 (v1): refused before any derivation when the server
      // hands out weaker (WEAK_KDF_PARAMS), absurd (INVALID_INPUT) or unknown-version parameters.
      assertLinkKdfParams(link.kdf);
      password = { password: options.password, kdf: link.kdf };
    }
    const target: LinkTarget = {
      purpose: link.kind === "album" ? "link-album-key" : "link-file-key",
      linkId,
      objectId: link.targetId,
    };
    const key = await unwrapKeyForLink(linkKey, fromBase64Url(link.wrappedKey), target, password);
    const fileKeys = new Map<string, Uint8Array>();
    const files: LinkFileEntry[] = [];
    const unreadable: string[] = [];
    let albumName: string | null = null;
    let verified = true;
    if (link.kind === "album") {
      const ring = new RingFromChain(link.targetId, link.keyVersion, key, link.keyChain);
      // A URL with an owner tag was made with a roster: one missing now was withheld, not never made.
      if (parsed.ownerTag && !link.roster) {
        throw new UmbraClientError("TAMPERED", "The server withheld this link's list of who may add photos");
      }
      const uploaders = link.roster
        ? await rosterUploaders(linkKey, linkId, link.targetId, link.roster, parsed.ownerTag)
        : null;
      verified = uploaders !== null;
      albumName = link.album
        ? await decryptAlbumName(key, link.targetId, fromBase64Url(link.album.encryptedName))
        : null;
      for (const record of link.files) {
        try {
          if (!record.wrappedFileKey) throw new Error("no wrapped key");
          if (uploaders) {
            const signer = uploaders.get(record.uploaderId);
            if (!signer || !record.contentDigest) throw new Error("not placed by the owner or a contributor");
            await verifyFileRecord(
              {
                fileId: record.id,
                albumId: link.targetId,
                wrappedFileKey: record.wrappedFileKey,
                contentDigest: record.contentDigest,
                uploaderUserId: record.uploaderId,
              },
              record.signature,
              signer,
            );
          }
          const albumKey = await ring.get(record.keyVersion);
          const fileKey = await unwrapFileKeyFor(albumKey, link.targetId, record.id, record.wrappedFileKey);
          const metadata = await decryptFileMetadata(fileKey, record.id, record.encryptedMetadata);
          fileKeys.set(record.id, fileKey);
          files.push({ id: record.id, metadata, contentSize: record.contentSize });
        } catch {
          unreadable.push(record.id);
        }
      }
    } else {
      const record = link.files[0];
      if (!record) throw new UmbraClientError("GONE", "The linked file no longer exists");
      const metadata = await decryptFileMetadata(key, record.id, record.encryptedMetadata);
      fileKeys.set(record.id, key);
      files.push({ id: record.id, metadata, contentSize: record.contentSize });
    }
    files.sort((a, b) => (a.metadata.takenAt ?? "").localeCompare(b.metadata.takenAt ?? ""));
    return new PublicLink(
      http,
      linkId,
      link.kind,
      albumName,
      link.allowDownload,
      link.expiresAt,
      files,
      unreadable,
      verified,
      fileKeys,
    );
  }

  private keyOf(fileId: string): Uint8Array {
    const key = this.fileKeys.get(fileId);
    if (!key) throw new UmbraClientError("NOT_FOUND", `No file ${fileId} behind this link`);
    return key;
  }

  async thumbnail(fileId: string, variant: ThumbnailVariant): Promise<Uint8Array> {
    const key = this.keyOf(fileId);
    const response = await this.http.send(
      `/api/public/links/${this.linkId}/files/${fileId}/thumbnails/${variant}`,
      {
        anonymous: true,
      },
    );
    if (!response.ok) throw await apiErrorFrom(response);
    return decryptThumbnail(key, fileId, variant, new Uint8Array(await response.arrayBuffer()));
  }

  /** The original, decrypted while it streams (FORBIDDEN when the link does not allow downloads). */
  async download(fileId: string): Promise<{ entry: LinkFileEntry; stream: ReadableStream<Uint8Array> }> {
    const key = this.keyOf(fileId);
    const entry = this.files.find((f) => f.id === fileId)!;
    const response = await this.http.send(`/api/public/links/${this.linkId}/files/${fileId}/content`, {
      anonymous: true,
    });
    if (!response.ok || !response.body) throw await apiErrorFrom(response);
    const stream = guardedBody(response.body, fileId).pipeThrough(
      createDecryptStream(key, {
        associatedData: contentAssociatedData(fileId),
        plaintextLength: entry.metadata.size,
      }),
    );
    return { entry, stream };
  }
}

/**
 * Who may have placed files, by user id → signing key: the owner (key sealed under the link key, which the server
 * lacks) and contributors whose grants the owner signed, listed in the owner-signed roster. Anything else → TAMPERED.
 */
async function rosterUploaders(
  linkKey: Uint8Array,
  linkId: string,
  albumId: string,
  roster: LinkRoster,
  ownerTag: string | undefined,
): Promise<Map<string, Uint8Array>> {
  const ownerKey = await openLinkOwner(linkKey, linkId, albumId, roster.ownerId, fromBase64Url(roster.owner));
  // Anyone holding the link could reseal another key under the link key; the URL's tag names the real owner's.
  if (ownerTag !== undefined && (await ownerKeyTag(ownerKey)) !== ownerTag) {
    throw new UmbraClientError("TAMPERED", "This link's roster is not signed by the owner the link names");
  }
  const payload = await verifyLinkRoster(roster.signed, ownerKey, {
    linkId,
    albumId,
    ownerId: roster.ownerId,
  });
  const uploaders = new Map([[roster.ownerId, ownerKey]]);
  for (const c of payload.contributors) {
    try {
      const grant = await verifyGrant(c.grant, ownerKey);
      if (
        grant.albumId === albumId &&
        grant.granteeUserId === c.userId &&
        grant.role === "contributor" &&
        grant.grantedBy === roster.ownerId
      )
        uploaders.set(c.userId, fromBase64Url(c.signingPublicKey));
    } catch {
      // A contributor entry that does not verify is ignored: their files are then refused.
    }
  }
  return uploaders;
}

/** A link's album key opens its own version and, down the chain, older ones; never newer ones. */
class RingFromChain {
  private readonly keys = new Map<number, Uint8Array>();
  constructor(
    private readonly albumId: string,
    private readonly top: number,
    key: Uint8Array,
    private readonly chain: { version: number; wrappedKey: string }[],
  ) {
    this.keys.set(top, key);
  }

  async get(version: number): Promise<Uint8Array> {
    if (version > this.top) throw new Error("added after the link was created with an older key");
    let v = this.top;
    let key = this.keys.get(v)!;
    while (v > version) {
      const cached = this.keys.get(v - 1);
      if (cached) {
        key = cached;
      } else {
        const link = this.chain.find((l) => l.version === v - 1);
        if (!link) throw new Error(`the key chain lacks version ${v - 1}`);
        key = await unwrapPreviousAlbumKey(key, fromBase64Url(link.wrappedKey), this.albumId, v - 1);
        this.keys.set(v - 1, key);
      }
      v--;
    }
    return key;
  }
}
