import { LIVE_CONTENT_DIGEST, signFileRecord } from "@umbra/crypto/sharing";
import { AlbumFilesResponse, type StartLiveBody } from "@umbra/protocol";
import { UmbraClientError } from "./errors.js";
import { wrapFileKeyFor } from "./keys.js";
import type { SharedFiles } from "./shared-files.js";
import type { Sharing, SharingDeps } from "./sharing.js";

/** What the live uploader, the recovery and the reader need from the unlocked client. */
export interface LiveDeps extends SharingDeps {
  sharing: Sharing;
  sharedFiles: SharedFiles;
}

/** Where a live recording is placed and how (SPEC §17.4: signed with the live digest in shared albums). */
export interface LivePlacement {
  /** The album named at start (the placement a shared album's members see). */
  albumId: string;
  wrappedFileKey: string;
  keyVersion: number;
  /** The placement is signed (a shared album): the finish re-signs it with the real digest. */
  signed: boolean;
  /** One of our own albums holding the file (the named one, or our library when it is someone else's). */
  homeAlbumId: string;
  start: Pick<
    StartLiveBody,
    "albumId" | "wrappedFileKey" | "keyVersion" | "contentDigest" | "signature" | "home"
  >;
}

/** Wraps the file key for the target album (and our library when the album is not ours) and signs if shared. */
export async function planLivePlacement(
  deps: LiveDeps,
  albumId: string,
  fileId: string,
  fileKey: Uint8Array,
): Promise<LivePlacement> {
  const { library, sharing } = deps;
  const state = library.state ?? (await library.sync());
  const own = state.albums[albumId];
  if (own) {
    const keyVersion = own.keyVersion ?? 1;
    const wrappedFileKey = await wrapFileKeyFor(await library.albumKey(albumId), albumId, fileId, fileKey);
    const shared =
      own.kind !== "library" && (keyVersion > 1 || (await sharing.members(albumId)).members.length > 0);
    const signature = shared
      ? await signPlacement(deps, fileId, albumId, wrappedFileKey, LIVE_CONTENT_DIGEST)
      : undefined;
    return {
      albumId,
      wrappedFileKey,
      keyVersion,
      signed: shared,
      homeAlbumId: albumId,
      start: {
        albumId,
        wrappedFileKey,
        ...(shared && { keyVersion, contentDigest: LIVE_CONTENT_DIGEST, signature }),
      },
    };
  }
  const access = await sharing.access(albumId);
  if (access.role === "viewer") {
    throw new UmbraClientError("FORBIDDEN", "You can view this shared album but not add to it");
  }
  const albumKey = await deps.keyRing.get(albumId, access.keyVersion);
  const wrappedFileKey = await wrapFileKeyFor(albumKey, albumId, fileId, fileKey);
  const homeAlbumId = await library.libraryAlbumId();
  const homeWrapped = await wrapFileKeyFor(await library.albumKey(homeAlbumId), homeAlbumId, fileId, fileKey);
  return {
    albumId,
    wrappedFileKey,
    keyVersion: access.keyVersion,
    signed: true,
    homeAlbumId,
    start: {
      albumId,
      wrappedFileKey,
      keyVersion: access.keyVersion,
      contentDigest: LIVE_CONTENT_DIGEST,
      signature: await signPlacement(deps, fileId, albumId, wrappedFileKey, LIVE_CONTENT_DIGEST),
      home: { albumId: homeAlbumId, wrappedFileKey: homeWrapped },
    },
  };
}

export async function signPlacement(
  deps: LiveDeps,
  fileId: string,
  albumId: string,
  wrappedFileKey: string,
  contentDigest: string,
): Promise<string> {
  const identity = await deps.identity();
  return signFileRecord(identity.signing.privateKey, {
    fileId,
    albumId,
    wrappedFileKey,
    contentDigest,
    uploaderUserId: deps.userId,
  });
}

/** Our placements of a live file still signed with the live digest (recovery re-signs them at the finish). */
export async function liveSignedPlacement(
  deps: LiveDeps,
  albumId: string,
  fileId: string,
): Promise<{ wrappedFileKey: string } | undefined> {
  const answer = await deps.http.json(`/api/albums/${albumId}/files`, AlbumFilesResponse);
  const record = answer.files.find((f) => f.id === fileId && f.uploaderId === deps.userId);
  if (!record || record.contentDigest !== LIVE_CONTENT_DIGEST) return undefined;
  return { wrappedFileKey: record.wrappedFileKey };
}
