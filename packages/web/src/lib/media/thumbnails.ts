import { THUMBNAIL_BATCH_MAX } from "@umbra/client";
import { appApi } from "../api/app-api.js";
import { THUMBNAIL_WORKERS } from "../workers/thumbnail-pool.js";
import { ThumbnailCache } from "./thumbnail-cache.js";

/**
 * Thumbnails per POST while the grid scrolls: one request per row or so instead of one per tile (each request
 * costs the browser's network process and the server more than the bytes do); small enough that the first
 * thumbnail of a batch is not held long behind its last.
 */
const BATCH = Math.min(8, THUMBNAIL_BATCH_MAX);

/** The one cache the grid and the viewer share; emptied when the vault locks. One load per decrypt worker. */
export const thumbnails = new ThumbnailCache(
  (id, variant) => appApi.thumbnail(id, variant),
  THUMBNAIL_WORKERS,
  800,
  { loadBatch: (ids, variant) => appApi.thumbnailBatch(ids, variant), batchMax: BATCH },
);
