// Messages of the library screens, in English (merged into the catalogue by en.ts).
export const libraryEn = {} as const;
