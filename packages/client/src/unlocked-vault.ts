import { deriveDedupKey } from "@umbra/crypto";
import type { Identity } from "@umbra/crypto/sharing";
import { AlbumEvents } from "./album-events.js";
import { Contacts } from "./contacts.js";
import { errorCode } from "./errors.js";
import type { HttpTransport } from "./http.js";
import { type IdentityOptions, loadOrCreateIdentity } from "./identity.js";
import { Library } from "./library.js";
import { Links } from "./links.js";
import { LiveUploads } from "./live-uploads.js";
import type { RecordDecryptor } from "./record-decrypt.js";
import { SharedFiles } from "./shared-files.js";
import { Sharing, type SharingDeps } from "./sharing.js";
import type { KeyValueStore } from "./store.js";
import type { SyncStateCache } from "./sync-cache.js";
import type { Warnings } from "./warnings.js";

/** Everything a client holds while unlocked: the master key and the parts of the SDK built on it. */
export interface UnlockedVault {
  masterKey: Uint8Array;
  dedupKey: Uint8Array;
  library: Library;
  store: KeyValueStore;
  contacts: Contacts;
  sharing: Sharing;
  sharedFiles: SharedFiles;
  links: Links;
  live: LiveUploads;
  events: AlbumEvents;
}

export interface OpenVaultOptions {
  http: HttpTransport;
  store: KeyValueStore;
  userId: string;
  masterKey: Uint8Array;
  syncState: SyncStateCache;
  warnings: Warnings;
  recordDecryptor: RecordDecryptor | undefined;
  /** The GET of the checkpoint's head sent at login or unlock, for the hidden albums before the first sync. */
  earlyCheckpoint: Promise<Response> | undefined;
  /** The key came out of an authenticated unwrap (password, phrase); else it is checked first. */
  proven: boolean;
  identityOptions: IdentityOptions;
  ownEmail: () => string;
}

/** Builds the unlocked SDK around a master key. */
export async function openVault(options: OpenVaultOptions): Promise<UnlockedVault> {
  const { http, store, userId, masterKey, warnings, identityOptions } = options;
  // Placements, shares and member changes are followed up by shared files and links, which need the library
  // and sharing themselves: they register on `events` as they are built instead of being patched in later.
  const events = new AlbumEvents();
  const library = new Library(
    http,
    store,
    userId,
    masterKey,
    options.syncState,
    warnings,
    options.recordDecryptor,
    (albumId, fileId) => events.emit("placed", albumId, fileId),
  );
  if (options.earlyCheckpoint) library.checkpoint.usePrefetchedHead(options.earlyCheckpoint);
  const contacts = new Contacts(http, store);
  let identity: Promise<Identity> | undefined;
  const deps: SharingDeps = {
    http,
    userId,
    masterKey,
    library,
    contacts,
    keyRing: library.keyRing,
    events,
    identity: () => {
      identity ??= loadOrCreateIdentity(http, store, userId, masterKey, identityOptions).catch(
        (error: unknown) => {
          identity = undefined;
          if (errorCode(error) === "IDENTITY_MISSING") {
            warnings.emit({ code: "IDENTITY_MISSING", message: (error as Error).message });
          }
          throw error;
        },
      );
      return identity;
    },
    ownEmail: options.ownEmail,
  };
  const sharing = new Sharing(deps);
  const sharedFiles = new SharedFiles(deps, sharing, store);
  const links = new Links(http, library, {
    userId,
    identity: deps.identity,
    contributors: (albumId) => sharing.contributors(albumId),
    signOwnPlacements: (albumId) => sharedFiles.signOwn(albumId),
    events,
  });
  if (!options.proven) await library.albumKey(await library.libraryAlbumId());
  if (identityOptions.create) await deps.identity();
  else {
    // Checked at once (a missing or swapped identity is a warning now, not a surprise when sharing); not fatal.
    deps.identity().catch(() => undefined);
  }
  return {
    masterKey,
    dedupKey: await deriveDedupKey(masterKey),
    library,
    store,
    contacts,
    sharing,
    sharedFiles,
    links,
    live: new LiveUploads({ ...deps, sharing, sharedFiles }),
    events,
  };
}
