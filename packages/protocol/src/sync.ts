import { z } from "zod";
import { AlbumRecord } from "./albums.js";
import { FileRecord } from "./files.js";
import { AlbumId, base64Url, FileId } from "./ids.js";

export const MAX_SYNC_LIMIT = 1000;
export const DEFAULT_SYNC_LIMIT = 200;

export const SyncQuery = z.object({
  since: z
    .string()
    .regex(/^\d{1,15}$/, "expected a cursor returned by /api/sync")
    .default("0"),
  limit: z.coerce.number().int().min(1).max(MAX_SYNC_LIMIT).default(DEFAULT_SYNC_LIMIT),
});
export type SyncQuery = z.infer<typeof SyncQuery>;

export const SyncResponse = z.object({
  files: z.array(FileRecord),
  albums: z.array(AlbumRecord),
  deleted: z.object({ files: z.array(FileId), albums: z.array(AlbumId) }),
  cursor: z.string(),
  hasMore: z.boolean(),
});
export type SyncResponse = z.infer<typeof SyncResponse>;

/** A sealed library checkpoint is at most 64 MiB of ciphertext (about a million files), in base64url. */
export const MAX_CHECKPOINT_CHARS = Math.ceil((64 * 1024 * 1024 * 4) / 3);

/** The library checkpoint the user's devices vouch for (SPEC §15, "Library checkpoint"); stored unread. */
export const CheckpointResponse = z.object({
  /** 0 while the account has none. */
  counter: z.number().int().min(0),
  checkpoint: base64Url(MAX_CHECKPOINT_CHARS).nullable(),
});
export type CheckpointResponse = z.infer<typeof CheckpointResponse>;

/** A checkpoint's sealed head (SPEC §15) is a few kilobytes; at most 1 MiB of ciphertext, in base64url. */
export const MAX_CHECKPOINT_HEAD_CHARS = Math.ceil((1024 * 1024 * 4) / 3);

/**
 * The head of the stored checkpoint, sealed with it under the same counter (SPEC §15, "Head"): `head` is null when
 * there is no checkpoint or it was written without one.
 */
export const CheckpointHeadResponse = z.object({
  counter: z.number().int().min(0),
  head: base64Url(MAX_CHECKPOINT_HEAD_CHARS).nullable(),
});
export type CheckpointHeadResponse = z.infer<typeof CheckpointHeadResponse>;

/** Replaces the checkpoint: `counter` must be exactly one more than the stored one (409 CHECKPOINT_CONFLICT). */
export const PutCheckpointBody = z.object({
  counter: z.number().int().min(1),
  checkpoint: base64Url(MAX_CHECKPOINT_CHARS),
  /** Its head, replaced with it (absent: the stored head is cleared). */
  head: base64Url(MAX_CHECKPOINT_HEAD_CHARS).optional(),
});
export type PutCheckpointBody = z.infer<typeof PutCheckpointBody>;

/** The counter now stored; the checkpoint is not sent back (megabytes in a large library). */
export const PutCheckpointResponse = z.object({ counter: z.number().int().min(1) });
export type PutCheckpointResponse = z.infer<typeof PutCheckpointResponse>;
