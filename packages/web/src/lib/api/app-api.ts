import { UmbraApi } from "./umbra-api.js";

/**
 * The app's one connection to the SDK, for this page's origin. Its own module so that the vault (state) and the
 * thumbnail cache (media) both reach it without importing each other: they used to form an import cycle.
 */
export const appApi = new UmbraApi(typeof location === "undefined" ? "http://localhost" : location.origin);
