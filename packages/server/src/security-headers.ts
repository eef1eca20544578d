/**
 * Sent on every response, API or web app. blob: and data: URLs are how the web app shows decrypted media
 * (thumbnails as data: URLs, which cost no round trip to the browser process). `mapTileOrigin`
 * (from UMBRA_MAP_TILE_URL, checked by @umbra/protocol's `checkTileTemplate`: a scheme, a plain host name and a
 * port, nothing a policy could misread) is the one other origin images may come from; without it, none.
 */
export function securityHeaders(options: { mapTileOrigin: string | null }): Record<string, string> {
  const imgSrc = ["'self'", "blob:", "data:", ...(options.mapTileOrigin ? [options.mapTileOrigin] : [])].join(
    " ",
  );
  return {
    "content-security-policy":
      // 'wasm-unsafe-eval' lets the browser compile OPAQUE's WebAssembly; it does not allow eval of scripts.
      `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src ${imgSrc}; media-src 'self' blob:; ` +
      "style-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; " +
      "form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    // Camera and microphone for the app's own recorder (issue 14), never for another origin.
    "permissions-policy": "camera=(self), microphone=(self), geolocation=(), interest-cohort=()",
  };
}
