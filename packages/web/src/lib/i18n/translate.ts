import { en, type MessageKey, type MessageName } from "./en.js";
import { fillPlaceholders, type MessageParams, pluralKey } from "./format-message.js";
import { fr } from "./fr.js";

export const LOCALES = { en: "English", fr: "Français" } as const;
export type Locale = keyof typeof LOCALES;
const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, fr };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && Object.hasOwn(LOCALES, value);
}

/** The message `name` in `lang`, placeholders filled from `params` (English when a catalogue lacks it). */
export function translate(lang: Locale, name: MessageName, params: MessageParams = {}): string {
  const catalogue = CATALOGUES[lang];
  const has = (key: string) => Object.hasOwn(catalogue, key);
  const key = pluralKey(name, params, lang, has) as MessageKey;
  return fillPlaceholders(catalogue[key] ?? en[key] ?? name, params, lang);
}
