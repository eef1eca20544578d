import { type AlbumRecord, AlbumRecord as AlbumRecordSchema } from "@umbra/protocol";
import type { AlbumKeyRing } from "./album-keys.js";
import { UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import { openAlbumKeyFor, wrapAlbumKeyFor } from "./keys.js";
import type { SeenState } from "./seen-state.js";

/**
 * The owner's album keys, opened from their master-key wraps: never at a version lower than this device has seen
 * (KEY_ROLLBACK), bound to their version from 2 on (SPEC §4.1); a legacy wrap is trusted once, then re-wrapped.
 * Cached per wrapped value, so a rotation made elsewhere is picked up on the next sync.
 */
export class OwnAlbumKeys {
  private readonly cache = new Map<string, { wrapped: string; key: Uint8Array }>();

  constructor(
    private readonly http: HttpTransport,
    private readonly userId: string,
    private readonly masterKey: Uint8Array,
    private readonly seen: SeenState,
    private readonly keyRing: AlbumKeyRing,
    /** Records the re-wrapped album (the server's answer to our own request). */
    private readonly remember: (record: AlbumRecord) => Promise<void>,
  ) {}

  /** A key this device just made (a new album): no unwrap needed. */
  set(albumId: string, wrapped: string, key: Uint8Array): void {
    this.cache.set(albumId, { wrapped, key });
  }

  async open(album: AlbumRecord): Promise<Uint8Array> {
    const version = album.keyVersion ?? 1;
    await this.seen.albumKeyVersion(album.id, version);
    const cached = this.cache.get(album.id);
    if (cached && cached.wrapped === album.wrappedAlbumKey) return cached.key;
    const { key, legacy } = await openAlbumKeyFor(
      this.masterKey,
      this.userId,
      album.id,
      album.wrappedAlbumKey,
      version,
    );
    if (legacy) await this.bindLegacyWrap(album, key);
    else if (version > 1) await this.seen.markBoundWrap(album.id);
    this.cache.set(album.id, { wrapped: album.wrappedAlbumKey, key });
    return key;
  }

  /**
   * A rotated album wrapped before key versions were bound into the wrap: accepted only on a device that never
   * saw it bound, and only if the key opens the chain link one version below (a key of another version cannot),
   * then re-wrapped in the bound form.
   */
  private async bindLegacyWrap(album: AlbumRecord, key: Uint8Array): Promise<void> {
    const version = album.keyVersion ?? 1;
    if (await this.seen.boundWrapSeen(album.id)) {
      throw new UmbraClientError(
        "TAMPERED",
        `Album ${album.id}'s key is served in an old form this device saw replaced: refused`,
      );
    }
    this.keyRing.set(album.id, version, key);
    await this.keyRing.get(album.id, version - 1);
    const updated = await this.http.json(`/api/albums/${album.id}/wrapped-key`, AlbumRecordSchema, {
      method: "PUT",
      body: {
        keyVersion: version,
        wrappedAlbumKey: await wrapAlbumKeyFor(this.masterKey, this.userId, album.id, key, version),
      },
    });
    await this.seen.markBoundWrap(album.id);
    await this.remember(updated);
  }
}
