import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./repo.js";

const serverDir = path.join(repoRoot, "packages/server");
const run = promisify(execFile);
let bundled: Promise<string> | undefined;

/**
 * The server sources bundled once per test process with esbuild (as `npm run build` does, npm dependencies left
 * external): a node process then starts in about half the time `--import tsx` takes, which matters with a few
 * dozen restarts per run. The server's own build script writes it, to one fixed path by rename.
 */
export function serverBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = path.join(serverDir, "dist", "test", "main.js");
    await run(process.execPath, [path.join(serverDir, "scripts", "build.mjs"), "--outfile", outfile]);
    return outfile;
  })();
  return bundled;
}
