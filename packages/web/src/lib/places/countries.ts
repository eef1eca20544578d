import en from "i18n-iso-countries/langs/en.json";
import fr from "i18n-iso-countries/langs/fr.json";
import type { Locale } from "../i18n/index.js";

type Names = Record<string, string | readonly string[]>;
const NAMES: Record<Locale, Names> = { en: en.countries, fr: fr.countries };

/** The country's short name in the given language (from `i18n-iso-countries`), or the code itself if unknown. */
export function countryName(code: string, locale: Locale): string {
  const name = NAMES[locale][code] ?? NAMES.en[code];
  if (name === undefined) return code;
  return typeof name === "string" ? name : (name[0] ?? code);
}

/** Every name the country goes by in every language the app speaks (so "France" and "Allemagne" both find). */
export function countryNames(code: string): string[] {
  const out = new Set<string>();
  for (const names of Object.values(NAMES)) {
    const name = names[code];
    if (typeof name === "string") out.add(name);
    else if (name) for (const n of name) out.add(n);
  }
  return [...out];
}
