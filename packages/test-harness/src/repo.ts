import path from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's root folder (this file is packages/test-harness/src/repo.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The server's entry point, as TypeScript source. */
export const serverMainTs = path.join(repoRoot, "packages/server/src/main.ts");
