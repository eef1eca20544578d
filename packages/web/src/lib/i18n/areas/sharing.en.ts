// Messages of the sharing screens, in English (merged into the catalogue by en.ts).
export const sharingEn = {} as const;
