import type { Locale } from "./translate.js";

let source: { readonly current: Locale } = { current: "en" };

/**
 * The chosen language, for plain modules (formatters, messages made outside components). They cannot import
 * locale.svelte.ts, whose runes only compile in the app, so they read it through here: English until that module
 * hands over its state, and reactive in markup from then on (reading this reads the state).
 */
export function currentLocale(): Locale {
  return source.current;
}

/** Makes `currentLocale` read `state`: called once by locale.svelte.ts, and by tests that need another language. */
export function followLocale(state: { readonly current: Locale }): void {
  source = state;
}
