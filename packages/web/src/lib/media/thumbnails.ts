import { ThumbnailCache } from "./thumbnail-cache.js";
import { THUMBNAIL_WORKERS } from "./thumbnail-pool.js";
import { vault } from "./vault.svelte.js";

/** The one cache the grid and the viewer share; emptied when the vault locks. One load per decrypt worker. */
export const thumbnails = new ThumbnailCache(
  (id, variant) => vault.api.thumbnail(id, variant),
  THUMBNAIL_WORKERS,
);
