import type { SettingsKey } from "./settings.keys.js";

// Messages of the settings screens, in French.
export const settingsFr: Record<SettingsKey, string> = {};
