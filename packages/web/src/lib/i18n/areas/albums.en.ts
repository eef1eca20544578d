// Messages of the albums screens, in English (merged into the catalogue by en.ts).
export const albumsEn = {} as const;
