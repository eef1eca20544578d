// Bundles the CLI: @umbra/* sources are inlined (resolved through the "source" condition), npm deps stay external.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function buildCli() {
  const external = new Set();
  for (const pkg of ["cli", "client", "crypto", "protocol"]) {
    const manifest = JSON.parse(readFileSync(join(root, "..", pkg, "package.json"), "utf8"));
    for (const dep of Object.keys(manifest.dependencies ?? {}))
      if (!dep.startsWith("@umbra/")) external.add(dep);
  }
  await build({
    // The digest worker is a second entry: a worker thread loads it as its own file.
    entryPoints: {
      umbra: join(root, "src/main.ts"),
      "file-digest-worker": join(root, "src/file-digest-worker.ts"),
    },
    outdir: join(root, "dist"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["source"],
    external: [...external].flatMap((dep) => [dep, `${dep}/*`]),
    sourcemap: true,
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
