import { fromBase64Url } from "@umbra/crypto";
import { unwrapPreviousAlbumKey } from "@umbra/crypto/sharing";
import { type KeyChainLink, KeyChainResponse } from "@umbra/protocol";
import { UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";

/**
 * Album keys by (album, version). The newest key a user holds comes from their own wrap (owner) or a sealed
 * grant (member); older ones are unwrapped down the album's key chain (SPEC §17.6).
 */
export class AlbumKeyRing {
  private readonly keys = new Map<string, Uint8Array>();

  constructor(private readonly http: HttpTransport) {}

  set(albumId: string, version: number, key: Uint8Array): void {
    this.keys.set(`${albumId}@${version}`, key);
  }

  peek(albumId: string, version: number): Uint8Array | undefined {
    return this.keys.get(`${albumId}@${version}`);
  }

  /** The key of `version`, walking down from the nearest newer key this ring holds. */
  async get(albumId: string, version: number, chain?: KeyChainLink[]): Promise<Uint8Array> {
    const known = this.peek(albumId, version);
    if (known) return known;
    const links =
      chain ?? (await this.http.json(`/api/albums/${albumId}/key-chain`, KeyChainResponse)).keyChain;
    let newer: number | undefined;
    for (let v = version + 1; v <= version + 1000; v++) {
      if (this.peek(albumId, v)) {
        newer = v;
        break;
      }
    }
    if (newer === undefined) {
      throw new UmbraClientError("NOT_FOUND", `No key of album ${albumId} at version ${version} or later`);
    }
    let key = this.peek(albumId, newer)!;
    for (let v = newer - 1; v >= version; v--) {
      const link = links.find((l) => l.version === v);
      if (!link)
        throw new UmbraClientError("NOT_FOUND", `The key chain of album ${albumId} lacks version ${v}`);
      key = await unwrapPreviousAlbumKey(key, fromBase64Url(link.wrappedKey), albumId, v);
      this.set(albumId, v, key);
    }
    return key;
  }
}
