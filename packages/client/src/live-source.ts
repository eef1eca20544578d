import { FileRecord, SharedAlbumsResponse } from "@umbra/protocol";
import { UmbraClientError } from "./errors.js";
import type { LiveDeps } from "./live-placement.js";

/** What a reader knows of a file at one moment: the server's live flag, and the true size once finished. */
export interface LiveSourceState {
  live: boolean;
  /** From the authenticated metadata; undefined while the file is live (the size is written at the finish). */
  size: number | undefined;
}

/** The file a live reader reads: one of ours, or one a shared album lists (signature checked on every look). */
export class LiveSource {
  private constructor(
    private readonly deps: LiveDeps,
    readonly fileId: string,
    readonly fileKey: Uint8Array,
    private readonly albumId: string | undefined,
  ) {}

  static async resolve(deps: LiveDeps, fileId: string, albumId?: string): Promise<LiveSource> {
    const { library } = deps;
    const state = library.state ?? (await library.sync());
    if (albumId === undefined || state.albums[albumId]) {
      // Ours, even when started on another device since the last sync (then asked for by id).
      const own = state.files[fileId] ?? (await library.file(fileId).catch(() => undefined))?.record;
      if (own) return new LiveSource(deps, fileId, await library.fileKey(own), undefined);
    }
    const candidates =
      albumId !== undefined
        ? [albumId]
        : (await deps.http.json("/api/shared", SharedAlbumsResponse)).albums.map((a) => a.id);
    for (const candidate of candidates) {
      const { files } = await deps.sharedFiles.list(candidate);
      if (files.some((f) => f.id === fileId)) {
        return new LiveSource(deps, fileId, await deps.sharedFiles.fileKey(candidate, fileId), candidate);
      }
    }
    throw new UmbraClientError("NOT_FOUND", `No file ${fileId} that this account may read`);
  }

  /** Asks the server again: a shared record is re-verified (its live digest and live flag must agree). */
  async state(): Promise<LiveSourceState> {
    if (this.albumId === undefined) {
      const { library, http } = this.deps;
      const record = await http.json(`/api/files/${encodeURIComponent(this.fileId)}`, FileRecord);
      if (record.live) return { live: true, size: undefined };
      const metadata = await library.metadata(record);
      return { live: false, size: metadata.size };
    }
    const { files, rejected } = await this.deps.sharedFiles.list(this.albumId);
    const entry = files.find((f) => f.id === this.fileId);
    if (!entry) {
      const refused = rejected.find((r) => r.id === this.fileId);
      throw new UmbraClientError(
        refused ? "TAMPERED" : "NOT_FOUND",
        refused ? `File ${this.fileId} was refused: ${refused.reason}` : `File ${this.fileId} is gone`,
      );
    }
    if (entry.record.live) return { live: true, size: undefined };
    return { live: false, size: entry.metadata.size };
  }
}
