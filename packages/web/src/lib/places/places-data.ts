// The lazily loaded half of Places (its own chunk, fetched from the app's own origin the first time a place is
// needed): the city table and the country names. Nothing here makes a request of its own.
import cities from "./cities15k.json";
import { type CityRow, Geocoder } from "./geocoder.js";

export { countryName, countryNames } from "./countries.js";
export const geocoder = new Geocoder(cities.rows as unknown as CityRow[]);
