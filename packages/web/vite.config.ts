import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defaultClientConditions, defineConfig } from "vite";

// Workspace packages are consumed as TypeScript source through the `source` export condition.
export default defineConfig({
  plugins: [svelte()],
  resolve: { conditions: ["source", ...defaultClientConditions] },
  // The OPAQUE WebAssembly chunk is large by nature (~1.2 MB); it loads once and is cached.
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1600,
  },
  worker: { format: "es" },
  server: { proxy: { "/api": process.env.UMBRA_API_URL ?? "http://127.0.0.1:8080" } },
});
