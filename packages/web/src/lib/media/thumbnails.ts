import { appApi } from "../api/app-api.js";
import { THUMBNAIL_WORKERS } from "../workers/thumbnail-pool.js";
import { ThumbnailCache } from "./thumbnail-cache.js";

/** The one cache the grid and the viewer share; emptied when the vault locks. One load per decrypt worker. */
export const thumbnails = new ThumbnailCache(
  (id, variant) => appApi.thumbnail(id, variant),
  THUMBNAIL_WORKERS,
);
