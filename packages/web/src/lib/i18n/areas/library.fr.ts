import type { LibraryKey } from "./library.keys.js";

// Messages of the library screens, in French.
export const libraryFr: Record<LibraryKey, string> = {};
