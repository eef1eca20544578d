import type { AlbumsKey } from "./albums.keys.js";

// Messages of the albums screens, in French.
export const albumsFr: Record<AlbumsKey, string> = {};
