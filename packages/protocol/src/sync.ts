import { z } from "zod";
import { AlbumRecord } from "./albums.js";
import { FileRecord } from "./files.js";
import { AlbumId, FileId } from "./ids.js";

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
