import type { libraryEn } from "./library.en.js";

export type LibraryKey = keyof typeof libraryEn;
