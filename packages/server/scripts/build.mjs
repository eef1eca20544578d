// Bundles the server into dist/main.js (or --outfile PATH): @umbra/* workspace sources inlined, npm dependencies
// left external. Files are written by rename, so a concurrent reader (parallel test files) never sees half a bundle.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { outfile: { type: "string" } } });
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !name.startsWith("@umbra/"));

const result = await build({
  entryPoints: [path.join(root, "src/main.ts")],
  outfile: path.resolve(values.outfile ?? path.join(root, "dist/main.js")),
  write: false,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["source"],
  external: [...external, ...external.map((name) => `${name}/*`)],
  sourcemap: true,
  logLevel: "warning",
});
for (const file of result.outputFiles) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  const temp = `${file.path}.${randomBytes(6).toString("hex")}`;
  writeFileSync(temp, file.contents);
  renameSync(temp, file.path);
}
