import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";
import { appShellManifest } from "./scripts/app-shell-plugin.js";

/** The video Service Worker's source; it is served at /media-sw.js so that its scope is the whole app. */
const MEDIA_WORKER = fileURLToPath(new URL("./src/media-sw.ts", import.meta.url));

/** In `vite dev`, /media-sw.js is the worker's source (a worker script may not be a redirect). */
function mediaWorkerInDev(): Plugin {
  return {
    name: "umbra-media-worker-dev",
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url === "/media-sw.js") req.url = "/src/media-sw.ts";
        next();
      });
    },
  };
}

// Workspace packages are consumed as TypeScript source through the `source` export condition.
export default defineConfig({
  plugins: [
    svelte(),
    mediaWorkerInDev(),
    appShellManifest(fileURLToPath(new URL("./public", import.meta.url))),
  ],
  resolve: { conditions: ["source", ...defaultClientConditions] },
  // The OPAQUE WebAssembly chunk is large by nature (~1.2 MB); it loads once and is cached.
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      input: { main: fileURLToPath(new URL("./index.html", import.meta.url)), "media-sw": MEDIA_WORKER },
      output: {
        // The worker keeps a fixed name at the root (its URL is its identity); everything else is hashed.
        entryFileNames: (chunk) => (chunk.name === "media-sw" ? "media-sw.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  worker: { format: "es" },
  server: { proxy: { "/api": process.env.UMBRA_API_URL ?? "http://127.0.0.1:8080" } },
});
