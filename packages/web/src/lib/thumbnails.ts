import { ThumbnailCache } from "./thumbnail-cache.js";
import { vault } from "./vault.svelte.js";

/** The one cache the grid and the viewer share; emptied when the vault locks. */
export const thumbnails = new ThumbnailCache((id, variant, fetched) =>
  vault.api.thumbnail(id, variant, fetched),
);
