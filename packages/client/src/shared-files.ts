import { decryptThumbnail, type ThumbnailVariant } from "@umbra/crypto";
import {
  ciphertextDigest,
  LIVE_CONTENT_DIGEST,
  signFileRecord,
  verifyFileRecord,
} from "@umbra/crypto/sharing";
import { createDecryptStream } from "@umbra/crypto/stream";
import { type AlbumFileRecord, AlbumFilesResponse } from "@umbra/protocol";
import { guardedBody } from "./download.js";
import { UmbraClientError } from "./errors.js";
import { apiErrorFrom } from "./http.js";
import { contentAssociatedData, decryptFileMetadata, unwrapFileKeyFor, wrapFileKeyFor } from "./keys.js";
import { type MediaStreamSource, openMediaStream } from "./media-stream.js";
import type { FileMetadata } from "./metadata.js";
import type { RejectedRecord, Sharing, SharingDeps } from "./sharing.js";
import type { KeyValueStore } from "./store.js";

export interface SharedFileEntry {
  id: string;
  albumId: string;
  uploaderId: string;
  metadata: FileMetadata;
  record: AlbumFileRecord;
}

const DIGEST_PREFIX = "content-digest:";

/** Files in shared albums: listed only when their uploader's signature checks out; added signed. */
export class SharedFiles {
  private readonly keys = new Map<string, { wrapped: string; key: Uint8Array }>();
  /** Entries that passed verification in the latest list() of their album: thumbnails need no re-check each. */
  private readonly verifiedEntries = new Map<string, SharedFileEntry>();

  constructor(
    private readonly deps: SharingDeps,
    private readonly sharing: Sharing,
    private readonly store: KeyValueStore,
  ) {
    deps.events.on("shared", (albumId) => this.signOwn(albumId));
    deps.events.on("placed", (albumId, fileId) => this.signIfShared(albumId, fileId));
  }

  /** Members and link visitors trust only signed placements: signs one of ours when the album is or was shared. */
  private async signIfShared(albumId: string, fileId: string): Promise<void> {
    const rotated = (this.deps.library.state?.albums[albumId]?.keyVersion ?? 1) > 1;
    if (rotated || (await this.sharing.members(albumId)).members.length > 0) await this.add(albumId, fileId);
  }

  /**
   * The album's files that a permitted uploader (the owner or a contributor with an owner-signed grant) signed.
   * Everything else the server sends (unsigned, re-attributed, injected records) is returned in `rejected`.
   */
  async list(albumId: string): Promise<{ files: SharedFileEntry[]; rejected: RejectedRecord[] }> {
    const access = await this.sharing.access(albumId);
    const { ownerId, members } = await this.sharing.members(albumId);
    if (ownerId !== access.ownerId) throw new UmbraClientError("TAMPERED", "The album's owner changed");
    const uploaders = new Set([
      ownerId,
      ...members.filter((m) => m.role === "contributor").map((m) => m.userId),
    ]);
    const answer = await this.deps.http.json(`/api/albums/${albumId}/files`, AlbumFilesResponse);
    const files: SharedFileEntry[] = [];
    const rejected: RejectedRecord[] = [];
    for (const record of answer.files) {
      try {
        if (record.albumId !== albumId) throw new Error("the record names another album");
        if (!uploaders.has(record.uploaderId))
          throw new Error("its uploader may not add files to this album");
        // Unsigned placements are never signed here on the server's word (SPEC §17.7): the owner signs only
        // placements it made, when it shares or places them.
        if (!record.signature || !record.contentDigest) throw new Error("it carries no uploader signature");
        // A recording is signed over the live digest until its finish re-signs it (SPEC §17.4): the digest and
        // the server's live flag must agree, or the server is passing a finished file off as live (or back).
        if ((record.contentDigest === LIVE_CONTENT_DIGEST) !== (record.live === true)) {
          throw new Error(
            record.live
              ? "it is listed as live but signed as finished"
              : "it is signed as live but listed as finished",
          );
        }
        await verifyFileRecord(
          {
            fileId: record.id,
            albumId,
            wrappedFileKey: record.wrappedFileKey,
            contentDigest: record.contentDigest,
            uploaderUserId: record.uploaderId,
          },
          record.signature,
          await this.sharing.signingKeyOf(record.uploaderId),
        );
        const key = await this.fileKeyOf(record, answer.keyChain);
        const metadata = await decryptFileMetadata(key, record.id, record.encryptedMetadata);
        files.push({ id: record.id, albumId, uploaderId: record.uploaderId, metadata, record });
      } catch (error) {
        rejected.push({ id: record.id, reason: (error as Error).message });
      }
    }
    for (const [key, entry] of this.verifiedEntries)
      if (entry.albumId === albumId) this.verifiedEntries.delete(key);
    for (const entry of files) this.verifiedEntries.set(`${albumId}/${entry.id}`, entry);
    return { files, rejected };
  }

  private async fileKeyOf(
    record: AlbumFileRecord,
    chain?: AlbumFilesResponse["keyChain"],
  ): Promise<Uint8Array> {
    const cached = this.keys.get(record.id);
    if (cached && cached.wrapped === record.wrappedFileKey) return cached.key;
    const albumKey = await this.deps.keyRing.get(record.albumId, record.keyVersion, chain);
    const key = await unwrapFileKeyFor(albumKey, record.albumId, record.id, record.wrappedFileKey);
    this.keys.set(record.id, { wrapped: record.wrappedFileKey, key });
    return key;
  }

  /** The key of a file a shared album lists (its placement verified). */
  async fileKey(albumId: string, fileId: string): Promise<Uint8Array> {
    return this.fileKeyOf((await this.verified(albumId, fileId)).record);
  }

  private async verified(albumId: string, fileId: string): Promise<SharedFileEntry> {
    const known = this.verifiedEntries.get(`${albumId}/${fileId}`);
    if (known) return known;
    const { files, rejected } = await this.list(albumId);
    const entry = files.find((f) => f.id === fileId);
    if (entry) return entry;
    const refused = rejected.find((r) => r.id === fileId);
    if (refused) throw new UmbraClientError("TAMPERED", `File ${fileId} was refused: ${refused.reason}`);
    throw new UmbraClientError("NOT_FOUND", `No file ${fileId} in album ${albumId}`);
  }

  /** SHA-256 of a file's ciphertext as stored, computed once (by streaming it) and remembered locally. */
  private async contentDigest(fileId: string): Promise<string> {
    const known = await this.store.get(DIGEST_PREFIX + fileId);
    if (known) return known;
    const response = await this.deps.http.send(`/api/files/${encodeURIComponent(fileId)}/content`);
    if (!response.ok || !response.body) throw await apiErrorFrom(response);
    const digest = await ciphertextDigest(response.body);
    await this.store.set(DIGEST_PREFIX + fileId, digest);
    return digest;
  }

  /** Places one of our files in a shared album (owner or contributor), wrapped under its current key and signed. */
  async add(albumId: string, fileId: string): Promise<void> {
    const { record } = await this.deps.library.file(fileId);
    await this.place(albumId, fileId, await this.deps.library.fileKey(record));
  }

  private async place(albumId: string, fileId: string, fileKey: Uint8Array): Promise<void> {
    const { http, userId } = this.deps;
    const access = await this.sharing.access(albumId);
    if (access.role === "viewer") throw new UmbraClientError("FORBIDDEN", "Viewers cannot add files");
    const albumKey = await this.deps.keyRing.get(albumId, access.keyVersion);
    const wrappedFileKey = await wrapFileKeyFor(albumKey, albumId, fileId, fileKey);
    const contentDigest = await this.contentDigest(fileId);
    const identity = await this.deps.identity();
    const signature = await signFileRecord(identity.signing.privateKey, {
      fileId,
      albumId,
      wrappedFileKey,
      contentDigest,
      uploaderUserId: userId,
    });
    await http.json(`/api/albums/${albumId}/files/${fileId}`, null, {
      method: "PUT",
      body: { wrappedFileKey, keyVersion: access.keyVersion, contentDigest, signature },
    });
  }

  /**
   * Signs (re-wrapping under the current key) our own placements that members could not verify yet: only those
   * this user made. The server's list is not enough (it could name a private file): the placement must be in the
   * library checkpoint our devices vouch for, and the key signed is the one the placement itself holds.
   */
  async signOwn(albumId: string): Promise<number> {
    const { library, http, userId } = this.deps;
    const answer = await http.json(`/api/albums/${albumId}/files`, AlbumFilesResponse);
    let signed = 0;
    for (const record of answer.files) {
      if (record.uploaderId !== userId || record.albumId !== albumId) continue;
      if (record.signature && record.keyVersion === answer.keyVersion) continue;
      if (!library.checkpoint.vouchesForPlacement(record.id, albumId)) {
        library.warnings.emit({
          code: "RECORD_REJECTED",
          message: `The server lists file ${record.id} in album ${albumId}, where you never placed it: not shared`,
          subject: record.id,
        });
        continue;
      }
      const fileKey = await this.fileKeyOf(record, answer.keyChain);
      await this.place(albumId, record.id, fileKey);
      signed++;
    }
    return signed;
  }

  async remove(albumId: string, fileId: string): Promise<void> {
    await this.deps.http.json(`/api/albums/${albumId}/files/${fileId}`, null, { method: "DELETE" });
  }

  async thumbnail(albumId: string, fileId: string, variant: ThumbnailVariant): Promise<Uint8Array> {
    const entry = await this.verified(albumId, fileId);
    const response = await this.deps.http.send(
      `/api/files/${encodeURIComponent(fileId)}/thumbnails/${variant}`,
    );
    if (!response.ok) throw await apiErrorFrom(response);
    const key = await this.fileKeyOf(entry.record);
    return decryptThumbnail(key, fileId, variant, new Uint8Array(await response.arrayBuffer()));
  }

  /** For a streaming player: the content's subkey and location (media-stream.ts); only for verified records. */
  async mediaStream(albumId: string, fileId: string): Promise<MediaStreamSource> {
    const entry = await this.verified(albumId, fileId);
    const key = await this.fileKeyOf(entry.record);
    const path = `/api/files/${encodeURIComponent(fileId)}/content`;
    const { size, mime } = entry.metadata;
    return openMediaStream({ http: this.deps.http, path, anonymous: false }, key, {
      id: fileId,
      contentSize: entry.record.contentSize,
      size,
      mime,
    });
  }

  /** The whole file, decrypted while it streams; only for records whose signature verified. */
  async download(
    albumId: string,
    fileId: string,
  ): Promise<{ entry: SharedFileEntry; stream: ReadableStream<Uint8Array>; length: number }> {
    const entry = await this.verified(albumId, fileId);
    const key = await this.fileKeyOf(entry.record);
    const response = await this.deps.http.send(`/api/files/${encodeURIComponent(fileId)}/content`);
    if (!response.ok || !response.body) throw await apiErrorFrom(response);
    const stream = guardedBody(response.body, fileId).pipeThrough(
      createDecryptStream(key, {
        associatedData: contentAssociatedData(fileId),
        plaintextLength: entry.metadata.size,
      }),
    );
    return { entry, stream, length: entry.metadata.size };
  }
}
