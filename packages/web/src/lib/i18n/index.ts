export type { MessageKey, MessageName } from "./en.js";
export { locale, t } from "./locale.svelte.js";
export { LOCALES, type Locale, translate } from "./translate.js";
