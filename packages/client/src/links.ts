import {
  createDecryptStream,
  decryptAlbumName,
  decryptThumbnail,
  deriveLinkKeys,
  fromBase64Url,
  generateLinkSecret,
  type LinkPassword,
  type LinkTarget,
  newKdfParams,
  type ThumbnailVariant,
  toBase64Url,
  unwrapKeyForLink,
  unwrapPreviousAlbumKey,
  wrapKeyForLink,
} from "@umbra/crypto";
import { type LinkRecord, LinksResponse, PublicLinkResponse } from "@umbra/protocol";
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

/** The web app's link page lives at /s; the secret rides in the fragment, which browsers never send. */
export function linkUrl(serverUrl: string, secret: string): string {
  return `${serverUrl.replace(/\/+$/, "")}/s#${secret}`;
}

/** Splits a link URL into its server and secret. */
export function parseLinkUrl(url: string): { serverUrl: string; secret: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UmbraClientError("INVALID_INPUT", "That is not a link URL");
  }
  const secret = parsed.hash.replace(/^#/, "");
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) {
    throw new UmbraClientError("INVALID_INPUT", "The link has no valid secret after '#' (was it cut off?)");
  }
  const path = parsed.pathname.replace(/\/s\/?$/, "");
  return { serverUrl: `${parsed.origin}${path}`, secret };
}

/** Creating and revoking public links to one's own albums and files. */
export class Links {
  constructor(
    private readonly http: HttpTransport,
    private readonly library: Library,
  ) {}

  async create(target: { albumId: string } | { fileId: string }, options: CreateLinkOptions = {}) {
    const secret = generateLinkSecret();
    const { linkId, linkKey } = await deriveLinkKeys(secret);
    const password: LinkPassword | undefined = options.password
      ? { password: options.password, kdf: newKdfParams() }
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
      },
    });
    return { url: linkUrl(this.http.serverUrl, secret), linkId, record } satisfies CreatedLink;
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
    /** Files the link's key cannot open (added after a key rotation, or tampered). */
    readonly unreadable: string[],
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
    const password = link.kdf && options.password ? { password: options.password, kdf: link.kdf } : undefined;
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
    if (link.kind === "album") {
      const ring = new RingFromChain(link.targetId, link.keyVersion, key, link.keyChain);
      albumName = link.album
        ? await decryptAlbumName(key, link.targetId, fromBase64Url(link.album.encryptedName))
        : null;
      for (const record of link.files) {
        try {
          if (!record.wrappedFileKey) throw new Error("no wrapped key");
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
