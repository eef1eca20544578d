// Messages of the settings screens, in English (merged into the catalogue by en.ts).
export const settingsEn = {} as const;
