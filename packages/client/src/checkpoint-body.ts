import { padmeLength, utf8Encode } from "@umbra/crypto";
import { z } from "zod";

/** Per file: digest of its encrypted metadata, when it was trashed (ms, 0 = live), the own albums holding it. */
export const CheckpointBody = z.object({
  v: z.literal(1),
  files: z.record(z.string(), z.tuple([z.string(), z.number(), z.array(z.string())])),
  albums: z.record(z.string(), z.number().int().min(1)),
  /** Albums shared with the user: the highest key version of each that a device of theirs has opened. */
  shared: z.record(z.string(), z.number().int().min(1)).default({}),
  /** Albums (own or shared) the user hid: out of the timeline and the album list; a choice the server never sees. */
  hidden: z.array(z.string()).default([]),
});
export type CheckpointBody = z.infer<typeof CheckpointBody>;

/**
 * The body as JSON, padded with spaces to its Padmé length (SPEC §15): a small edit (an album hidden, say) mostly
 * leaves the sealed size unchanged, so the server cannot tell one kind of edit from another by its length.
 */
export function paddedJson(body: CheckpointBody): Uint8Array {
  const json = utf8Encode(JSON.stringify(body));
  const padded = new Uint8Array(padmeLength(json.length)).fill(0x20);
  padded.set(json);
  return padded;
}

/** A change this device made, applied to whatever checkpoint is newest when it is saved. */
export type CheckpointChange = (body: CheckpointBody) => void;

/** Where the server's view of the library differs from the checkpoint the user's devices vouch for. */
export interface LibraryDiscrepancies {
  /** In the checkpoint, missing from the server's listing (hidden, or a forged deletion). */
  hidden: string[];
  /** Listed by the server, unknown to the checkpoint (injected, or resurrected after deletion). */
  unexpected: string[];
  /** Metadata other than the vouched-for version (a rename rolled back, or replaced). */
  changed: string[];
  /** Trashed or live against what the user did. */
  trash: string[];
  /** Placed in other own albums than the user placed it in (favorites included). */
  placements: string[];
  /** Own albums hidden, brought back after deletion, or served at an older key version. */
  albums: string[];
}

/** No difference found (each list empty, a new object every call: callers fill it). */
export function noDiscrepancies(): LibraryDiscrepancies {
  return { hidden: [], unexpected: [], changed: [], trash: [], placements: [], albums: [] };
}

export { metadataDigest } from "./record-decrypt.js";

/** Changes this device makes, as checkpoint edits (applied to whatever checkpoint is newest at save time). */
export const checkpointChanges = {
  fileAdded:
    (fileId: string, digest: string, albumId: string): CheckpointChange =>
    (body) => {
      body.files[fileId] = [digest, 0, [albumId]];
    },
  metadataChanged:
    (fileId: string, digest: string): CheckpointChange =>
    (body) => {
      const entry = body.files[fileId];
      if (entry) entry[0] = digest;
    },
  trashed:
    (fileId: string, at: number): CheckpointChange =>
    (body) => {
      const entry = body.files[fileId];
      if (entry) entry[1] = at;
    },
  restored:
    (fileId: string): CheckpointChange =>
    (body) => {
      const entry = body.files[fileId];
      if (entry) entry[1] = 0;
    },
  placed:
    (fileId: string, albumId: string): CheckpointChange =>
    (body) => {
      const entry = body.files[fileId];
      if (entry && !entry[2].includes(albumId)) entry[2].push(albumId);
    },
  unplaced:
    (fileId: string, albumId: string): CheckpointChange =>
    (body) => {
      const entry = body.files[fileId];
      if (entry) entry[2] = entry[2].filter((a) => a !== albumId);
    },
  deleted:
    (fileId: string): CheckpointChange =>
    (body) => {
      delete body.files[fileId];
    },
  trashEmptied: (): CheckpointChange => (body) => {
    for (const [id, entry] of Object.entries(body.files)) if (entry[1] > 0) delete body.files[id];
  },
  albumSet:
    (albumId: string, keyVersion: number): CheckpointChange =>
    (body) => {
      body.albums[albumId] = Math.max(body.albums[albumId] ?? 0, keyVersion);
    },
  sharedAlbumOpened:
    (albumId: string, keyVersion: number): CheckpointChange =>
    (body) => {
      body.shared[albumId] = Math.max(body.shared[albumId] ?? 0, keyVersion);
    },
  albumHidden:
    (albumId: string, hidden: boolean): CheckpointChange =>
    (body) => {
      body.hidden = body.hidden.filter((id) => id !== albumId);
      if (hidden) body.hidden.push(albumId);
    },
  albumDeleted:
    (albumId: string): CheckpointChange =>
    (body) => {
      delete body.albums[albumId];
      body.hidden = body.hidden.filter((id) => id !== albumId);
      for (const entry of Object.values(body.files)) entry[2] = entry[2].filter((a) => a !== albumId);
    },
};
