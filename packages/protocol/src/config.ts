import { z } from "zod";

/** The longest tile URL template and attribution a server may offer (the checks stay cheap on a hostile answer). */
export const MAX_TILE_URL_LENGTH = 2048;
export const MAX_TILE_ATTRIBUTION_LENGTH = 300;

export type TileTemplateCheck = { ok: true; origin: string } | { ok: false; problem: string };

const fill = (template: string, z: string, x: string, y: string) =>
  template.replaceAll("{z}", z).replaceAll("{x}", x).replaceAll("{y}", y);

/** A DNS name (punycode once parsed), an IPv4 address or a bracketed IPv6 address: nothing a CSP could misread. */
const SAFE_HOST =
  /^(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|\[[0-9a-f:.]+\])$/;

/**
 * Checks an XYZ raster tile URL template (`https://tiles.example.org/{z}/{x}/{y}.png`): an http or https URL
 * without credentials, with `{z}`, `{x}` and `{y}` (and no other placeholder) after its origin, so that every tile
 * comes from that one origin (the server's CSP names it, the web app shows it to the user before any request).
 */
export function checkTileTemplate(template: string): TileTemplateCheck {
  if (template.length > MAX_TILE_URL_LENGTH)
    return { ok: false, problem: `is longer than ${MAX_TILE_URL_LENGTH} characters` };
  if (/[\s\p{Cc}]/u.test(template)) return { ok: false, problem: "contains spaces or control characters" };
  for (const placeholder of ["{z}", "{x}", "{y}"]) {
    if (!template.includes(placeholder)) return { ok: false, problem: `has no ${placeholder}` };
  }
  const sample = fill(template, "0", "0", "0");
  if (/[{}]/.test(sample)) return { ok: false, problem: "has a placeholder other than {z}, {x} and {y}" };
  let first: URL;
  let other: URL;
  try {
    first = new URL(sample);
    other = new URL(fill(template, "1", "2", "3"));
  } catch {
    return { ok: false, problem: "is not an absolute URL" };
  }
  if (first.protocol !== "https:" && first.protocol !== "http:")
    return { ok: false, problem: "is not an http or https URL" };
  if (first.username || first.password) return { ok: false, problem: "has a user name or password in it" };
  if (!SAFE_HOST.test(first.hostname)) return { ok: false, problem: "has an unusable host name" };
  if (first.origin !== other.origin)
    return { ok: false, problem: "has a placeholder in its host: tiles must all come from one origin" };
  return { ok: true, origin: first.origin };
}

/** A raster tile source the server's operator offers; the web app uses it only once the user opts in. */
export const MapTileSource = z.object({
  url: z
    .string()
    .max(MAX_TILE_URL_LENGTH)
    .refine((url) => checkTileTemplate(url).ok, {
      message: "expected an http(s) XYZ tile URL template with {z}, {x} and {y}",
    }),
  /** Shown over the map while its tiles are (the tile provider's credit line, plain text). */
  attribution: z.string().min(1).max(MAX_TILE_ATTRIBUTION_LENGTH).nullable(),
});
export type MapTileSource = z.infer<typeof MapTileSource>;

/** `GET /api/config`: what the server's operator configured that the web app needs, public (no account). */
export const PublicConfigResponse = z.object({
  /** UMBRA_MAP_TILE_URL and UMBRA_MAP_TILE_ATTRIBUTION; null when unset (the bundled vector map only). */
  mapTiles: MapTileSource.nullable(),
});
export type PublicConfigResponse = z.infer<typeof PublicConfigResponse>;
