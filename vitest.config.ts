import { defineConfig } from "vitest/config";

// Workspace packages are consumed as TypeScript source through the "source" export condition. Node tests run in
// Vite's SSR environment, which has its own condition list, so both lists name it.
export default defineConfig({
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./scripts/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "packages",
          include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "scripts/**/*.test.ts"],
        },
      },
      // Each browser file runs its own server, Vite build and Chromium: one at a time, so on a small machine
      // they do not starve each other (and the package tests) into timeouts.
      { extends: true, test: { name: "e2e", include: ["e2e/**/*.test.ts"], fileParallelism: false } },
    ],
  },
});
