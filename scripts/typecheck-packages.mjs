// Type-checks every package with its own tsconfig.json (its own libs: no DOM in server, protocol, cli), all at
// once; exits non-zero when any fails. The web app is checked by svelte-check with its tsconfig instead.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsc = path.join(root, "node_modules/typescript/bin/tsc");
const packages = readdirSync(path.join(root, "packages"))
  .filter((name) => name !== "web" && existsSync(path.join(root, "packages", name, "tsconfig.json")))
  .sort();

const check = (name) =>
  new Promise((resolve) => {
    const project = path.join("packages", name, "tsconfig.json");
    const child = spawn(process.execPath, [tsc, "-p", project, "--noEmit", "--pretty", "false"], {
      cwd: root,
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("close", (code) => resolve({ name, project, code, output }));
  });

let failed = 0;
for (const { name, project, code, output } of await Promise.all(packages.map(check))) {
  if (code === 0) continue;
  failed++;
  process.stderr.write(`${name}: tsc -p ${project} failed\n${output}\n`);
}
if (failed > 0) process.exit(1);
process.stdout.write(`typecheck: ${packages.length} packages clean (${packages.join(", ")})\n`);
