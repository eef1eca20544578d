#!/usr/bin/env node
// Runs the bundled CLI, building it first when dist/ is missing (a fresh checkout).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "umbra.js");
if (!existsSync(bundle)) {
  const { buildCli } = await import(pathToFileURL(join(root, "scripts", "build.mjs")).href);
  await buildCli();
}
await import(pathToFileURL(bundle).href);
