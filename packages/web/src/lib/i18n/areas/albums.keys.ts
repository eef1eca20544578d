import type { albumsEn } from "./albums.en.js";

export type AlbumsKey = keyof typeof albumsEn;
