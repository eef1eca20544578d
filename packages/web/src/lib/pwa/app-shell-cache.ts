// The app shell's offline copy, kept by the Service Worker: the built app's own files only (never an API answer,
// never a decrypted byte), so an installed app opens offline to its lock screen.

/** What the build writes to /app-shell.json (scripts/app-shell-plugin.ts). */
export interface AppShellManifest {
  version: string;
  files: string[];
}

export const SHELL_CACHE_PREFIX = "umbra-shell-";
const MANIFEST_URL = "/app-shell.json";

export function isAppShellManifest(value: unknown): value is AppShellManifest {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.version === "string" &&
    /^[0-9a-f]{4,64}$/.test(v.version) &&
    Array.isArray(v.files) &&
    v.files.every(
      (f) => typeof f === "string" && f.startsWith("/") && !f.startsWith("//") && !f.startsWith("/api/"),
    )
  );
}

/** Which requests the shell answers: same-origin GETs of the app's files and page loads; never the API or media. */
export function shellRequestKind(request: { method: string; mode: string; url: string }, origin: string) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  if (url.origin !== origin) return null;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/media/")) return null;
  if (request.mode === "navigate") return "page" as const;
  if (url.pathname.startsWith("/assets/") || /\.(png|svg|webmanifest|ico|wasm|js|css)$/.test(url.pathname))
    return "file" as const;
  return null;
}

/** Fetches the build's file list and stores every file not yet in this version's cache; drops older versions. */
export async function updateShellCache(): Promise<string | null> {
  const response = await fetch(MANIFEST_URL, { cache: "no-store" });
  if (!response.ok) return null; // `vite dev` has no manifest: nothing is kept offline there.
  const manifest: unknown = await response.json();
  if (!isAppShellManifest(manifest)) return null;
  const name = SHELL_CACHE_PREFIX + manifest.version;
  const cache = await caches.open(name);
  const have = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
  const missing = manifest.files.filter((f) => !have.has(f));
  await cache.addAll(missing.map((f) => new Request(f, { cache: "no-cache" })));
  for (const old of await caches.keys())
    if (old.startsWith(SHELL_CACHE_PREFIX) && old !== name) await caches.delete(old);
  return name;
}

async function currentCache(): Promise<Cache | null> {
  const names = (await caches.keys()).filter((n) => n.startsWith(SHELL_CACHE_PREFIX));
  const last = names.at(-1);
  return last ? caches.open(last) : null;
}

/** Page loads: the network first (the newest app), the cached shell when offline. */
export async function answerPage(
  request: Request,
  refresh: (work: Promise<unknown>) => void,
): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) refresh(updateShellCache().catch(() => null));
    return response;
  } catch (error) {
    const cached = await (await currentCache())?.match("/");
    if (cached) return cached;
    throw error;
  }
}

/** The app's files: hashed names never change, so the cached copy is answered first. */
export async function answerFile(request: Request): Promise<Response> {
  const cache = await currentCache();
  const cached = await cache?.match(request, { ignoreSearch: true });
  return cached ?? fetch(request);
}
