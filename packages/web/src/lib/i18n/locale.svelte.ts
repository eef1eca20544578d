import { followLocale } from "./current-locale.js";
import type { MessageName } from "./en.js";
import type { MessageParams } from "./format-message.js";
import { isLocale, type Locale, translate } from "./translate.js";

const STORAGE_KEY = "umbra.locale";

/** The saved choice, else the browser's first language we have, else English. */
function initialLocale(): Locale {
  if (typeof window === "undefined") return "en";
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  for (const tag of navigator.languages ?? []) {
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}

class LocaleState {
  current = $state<Locale>(initialLocale());

  set(next: Locale): void {
    this.current = next;
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
  }
}

export const locale = new LocaleState();
followLocale(locale);
if (typeof document !== "undefined") document.documentElement.lang = locale.current;

/** The message `name` in the current language (reactive in markup), placeholders filled from `params`. */
export function t(name: MessageName, params: MessageParams = {}): string {
  return translate(locale.current, name, params);
}
