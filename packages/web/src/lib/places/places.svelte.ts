import type { Locale } from "../i18n/index.js";
import type { Place } from "./geocoder.js";

type PlacesData = typeof import("./places-data.js");

export type { Place };

export interface Gps {
  lat: number;
  lon: number;
}

/**
 * Places of photos, named on this device: the city table loads on first use (a chunk of the app's own, so no
 * third party is asked and the server learns nothing), then every lookup is synchronous and cached by position.
 * Reading `ready`, `of` or `label` in markup or a `$derived` re-runs it once the table has arrived.
 */
class PlacesState {
  #data = $state.raw<PlacesData | null>(null);
  #loading: Promise<PlacesData> | null = null;
  readonly #cache = new Map<string, Place | null>();

  get ready(): boolean {
    return this.#data !== null;
  }

  /** Starts loading the table (once); resolves when lookups work. */
  load(): Promise<PlacesData> {
    this.#loading ??= import("./places-data.js").then(
      (data) => (this.#data = data),
      (error) => {
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }

  /** Loads the table only if one of these has a position: a library without any never downloads it. */
  loadFor(items: readonly { meta: { gps?: Gps | undefined } }[]): void {
    if (!this.#loading && items.some((i) => i.meta.gps))
      this.load().catch((e) => console.warn("Umbra: the places table did not load", e));
  }

  /** The place at a position: undefined while the table loads, null where no city is near. */
  of(gps: Gps | undefined): Place | null | undefined {
    if (!gps) return null;
    const data = this.#data;
    if (!data) return undefined;
    const key = `${gps.lat.toFixed(4)},${gps.lon.toFixed(4)}`;
    let place = this.#cache.get(key);
    if (place === undefined) {
      place = data.geocoder.lookup(gps.lat, gps.lon);
      this.#cache.set(key, place);
    }
    return place;
  }

  country(code: string, locale: Locale): string {
    return this.#data?.countryName(code, locale) ?? code;
  }

  /** "Paris, France" in the given language. */
  label(place: Place, locale: Locale): string {
    return `${place.city}, ${this.country(place.country, locale)}`;
  }

  /** The words a place is found by: its city and its country's names in every language of the app. */
  terms(gps: Gps | undefined): readonly string[] {
    const place = this.of(gps);
    if (!place || !this.#data) return [];
    return [place.city, ...this.#data.countryNames(place.country)];
  }
}

export const places = new PlacesState();
