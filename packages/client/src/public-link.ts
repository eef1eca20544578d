import { decryptAlbumName, decryptThumbnail, fromBase64Url, type ThumbnailVariant } from "@umbra/crypto";
import {
  assertLinkKdfParams,
  deriveLinkKeys,
  type LinkPassword,
  type LinkTarget,
  openLinkOwner,
  unwrapKeyForLink,
  unwrapPreviousAlbumKey,
  verifyFileRecord,
  verifyGrant,
  verifyLinkRoster,
} from "@umbra/crypto/sharing";
import { createDecryptStream } from "@umbra/crypto/stream";
import { type LinkRoster, PublicLinkResponse } from "@umbra/protocol";
import { guardedBody } from "./download.js";
import { UmbraClientError } from "./errors.js";
import { apiErrorFrom, HttpTransport } from "./http.js";
import { contentAssociatedData, decryptFileMetadata, unwrapFileKeyFor } from "./keys.js";
import { ownerKeyTag, parseLinkUrl } from "./link-url.js";
import { type MediaStreamSource, openMediaStream } from "./media-stream.js";
import type { FileMetadata } from "./metadata.js";
import { linkRenditionStream } from "./rendition-read.js";

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

  /** For a streaming player: the content's subkey and location (media-stream.ts). */
  mediaStream(fileId: string): Promise<MediaStreamSource> {
    const key = this.keyOf(fileId);
    const entry = this.files.find((f) => f.id === fileId)!;
    const path = `/api/public/links/${this.linkId}/files/${fileId}/content`;
    const { size, mime } = entry.metadata;
    return openMediaStream({ http: this.http, path, anonymous: true }, key, {
      id: fileId,
      contentSize: entry.contentSize,
      size,
      mime,
    });
  }

  /** For a streaming player: the file's playable copy (SPEC §6.10), when its metadata describes one. */
  renditionStream(fileId: string): Promise<MediaStreamSource> {
    const entry = this.files.find((f) => f.id === fileId);
    return linkRenditionStream(this.http, this.linkId, this.keyOf(fileId), fileId, entry!.metadata);
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
