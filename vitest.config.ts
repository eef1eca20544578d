import { defineConfig } from "vitest/config";

// Workspace packages are consumed as TypeScript source through the "source" export condition. Node tests run in
// Vite's SSR environment, which has its own condition list, so both lists name it.
export default defineConfig({
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
