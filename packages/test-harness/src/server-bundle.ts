import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { repoRoot, serverMainTs } from "./repo.js";

const serverDir = path.join(repoRoot, "packages/server");
let bundled: Promise<string> | undefined;

/**
 * The server sources bundled once per test process with esbuild (as `npm run build` does, npm dependencies left
 * external): a node process then starts in about half the time `--import tsx` takes, which matters with a few
 * dozen restarts per run. Written to one fixed path by rename, so concurrent test files never see half a bundle.
 */
export function serverBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import("esbuild");
    const outfile = path.join(serverDir, "dist", "test", "main.js");
    const pkg = JSON.parse(await fs.readFile(path.join(serverDir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith("@umbra/"));
    const result = await build({
      entryPoints: [serverMainTs],
      outfile,
      write: false,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["source"],
      external: [...external, ...external.map((name) => `${name}/*`)],
      sourcemap: true,
      logLevel: "error",
    });
    await fs.mkdir(path.dirname(outfile), { recursive: true });
    for (const file of result.outputFiles) {
      const temp = `${file.path}.${randomBytes(6).toString("hex")}`;
      await fs.writeFile(temp, file.contents);
      await fs.rename(temp, file.path);
    }
    return outfile;
  })();
  return bundled;
}
