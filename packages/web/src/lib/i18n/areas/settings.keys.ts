import type { settingsEn } from "./settings.en.js";

export type SettingsKey = keyof typeof settingsEn;
