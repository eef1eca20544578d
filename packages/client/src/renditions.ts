import { UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import type { Library } from "./library.js";
import type { MediaStreamSource } from "./media-stream.js";
import {
  type AddRenditionOptions,
  addRendition,
  annotateFile,
  type RenditionInfo,
  type RenditionSource,
  removeRendition,
  renditionInfoOf,
} from "./rendition.js";
import {
  openRenditionStream,
  type RenditionLocation,
  readRendition,
  requireRendition,
  streamRendition,
} from "./rendition-read.js";
import type { SharedFiles } from "./shared-files.js";

/** Playable copies of the library's videos (SPEC §6.10): made on this device, stored encrypted beside the original. */
export class Renditions {
  constructor(
    private readonly http: HttpTransport,
    private readonly library: Library,
    private readonly sharedFiles?: SharedFiles,
  ) {}

  /** Encrypts, uploads and records `source` as the file's rendition (replacing an older one); uploader only. */
  add(fileId: string, source: RenditionSource, options?: AddRenditionOptions): Promise<RenditionInfo> {
    return addRendition(this.http, this.library, fileId, source, options);
  }

  remove(fileId: string): Promise<void> {
    return removeRendition(this.http, this.library, fileId);
  }

  /** Records facts about one of the caller's files in its encrypted metadata's `extra` (e.g. `videoCodec`). */
  annotate(fileId: string, facts: Record<string, string>): Promise<void> {
    return annotateFile(this.http, this.library, fileId, facts);
  }

  /** What the metadata says of the file's rendition; undefined when it has none. */
  async info(fileId: string): Promise<RenditionInfo | undefined> {
    const { metadata } = await this.library.file(fileId);
    return renditionInfoOf(fileId, metadata);
  }

  /** For the video player: the rendition's subkey and location, streamed by Range like content. */
  async mediaStream(fileId: string): Promise<MediaStreamSource> {
    const { key, info } = await this.opened(fileId);
    try {
      return await openRenditionStream(this.where(fileId), key, fileId, info);
    } finally {
      key.fill(0);
    }
  }

  /** Plaintext bytes start..endInclusive, only the covering segments fetched and authenticated. */
  async read(fileId: string, start: number, endInclusive: number): Promise<Uint8Array> {
    const { key, info } = await this.opened(fileId);
    try {
      return await readRendition(this.where(fileId), key, fileId, info, start, endInclusive);
    } finally {
      key.fill(0);
    }
  }

  /** The whole rendition, decrypted while it streams (the key stays with the stream until it ends). */
  async download(fileId: string): Promise<{ info: RenditionInfo; stream: ReadableStream<Uint8Array> }> {
    const { key, info } = await this.opened(fileId);
    return { info, stream: await streamRendition(this.where(fileId), key, fileId, info) };
  }

  /**
   * For the video player, in an album shared with us: the rendition of a file whose placement verified (its
   * metadata says what to expect; the server's access rule is the content's).
   */
  async sharedMediaStream(albumId: string, fileId: string): Promise<MediaStreamSource> {
    if (!this.sharedFiles) throw new UmbraClientError("INVALID_INPUT", "No shared albums here");
    const entry = (await this.sharedFiles.list(albumId)).files.find((f) => f.id === fileId);
    if (!entry) throw new UmbraClientError("NOT_FOUND", `No file ${fileId} in this shared album`);
    const info = requireRendition(fileId, entry.metadata);
    // The shared-files cache keeps this key for its session: not wiped here.
    const key = await this.sharedFiles.fileKey(albumId, fileId);
    return openRenditionStream(this.where(fileId), key, fileId, info);
  }

  private async opened(fileId: string): Promise<{ key: Uint8Array; info: RenditionInfo }> {
    const { record, metadata } = await this.library.file(fileId);
    const info = requireRendition(fileId, metadata);
    return { key: await this.library.fileKey(record), info };
  }

  private where(fileId: string): RenditionLocation {
    return { http: this.http, path: `/api/files/${encodeURIComponent(fileId)}/rendition`, anonymous: false };
  }
}
