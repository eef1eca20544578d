import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  checkBoundaries,
  importSpecifiers,
  type PackageManifest,
  type PackageSources,
} from "./package-boundaries.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_DIRS = ["src", "bench", "scripts", "test"];
const SOURCE_FILE = /\.(?:[cm]?[jt]s|svelte)$/;

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(path.join(root, dir));
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === "node_modules" || name === "dist") continue;
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (SOURCE_FILE.test(name) && !name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

function workspacePackages(): PackageSources[] {
  return readdirSync(path.join(root, "packages"))
    .map((name) => `packages/${name}`)
    .filter((dir) => statSync(path.join(root, dir, "package.json"), { throwIfNoEntry: false }))
    .map((dir) => ({
      dir,
      manifest: readJson<PackageManifest>(path.join(root, dir, "package.json")),
      files: SOURCE_DIRS.flatMap((sub) => sourceFiles(`${dir}/${sub}`)).map((file) => ({
        path: file,
        text: readFileSync(path.join(root, file), "utf8"),
      })),
    }));
}

const rootDevDependencies = readJson<{ devDependencies: Record<string, string> }>(
  path.join(root, "package.json"),
).devDependencies;

describe("package boundaries", () => {
  it("every package imports only what it declares, in the allowed direction, inside its own folder", () => {
    const packages = workspacePackages();
    expect(packages.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining(["@umbra/crypto", "@umbra/protocol", "@umbra/server", "@umbra/client"]),
    );
    expect(checkBoundaries(packages, rootDevDependencies)).toEqual([]);
  });

  describe("the check itself", () => {
    const manifest = (name: string, deps: string[] = [], dev: string[] = []): PackageManifest => ({
      name,
      dependencies: Object.fromEntries(deps.map((d) => [d, "*"])),
      devDependencies: Object.fromEntries(dev.map((d) => [d, "*"])),
    });
    const pkg = (dir: string, m: PackageManifest, files: Record<string, string>): PackageSources => ({
      dir,
      manifest: m,
      files: Object.entries(files).map(([file, text]) => ({ path: `${dir}/${file}`, text })),
    });
    const crypto = pkg(
      "packages/crypto",
      { ...manifest("@umbra/crypto"), exports: { ".": {}, "./formats": {}, "./stream": {} } },
      {},
    );
    const harness = pkg("packages/test-harness", manifest("@umbra/test-harness"), {});
    const protocol = (text: string) =>
      pkg("packages/protocol", manifest("@umbra/protocol", ["@umbra/crypto", "zod"]), { "src/a.ts": text });
    const server = (files: Record<string, string>, deps = ["@umbra/protocol", "@umbra/crypto"]) =>
      pkg("packages/server", manifest("@umbra/server", deps, ["@umbra/test-harness"]), files);
    const problems = (...packages: PackageSources[]) =>
      checkBoundaries([crypto, harness, ...packages], { vitest: "*" }).map((v) => v.problem);

    it("refuses the server importing key-handling code, even when declared", () => {
      expect(problems(server({ "src/index.ts": 'import { deriveKey } from "@umbra/crypto";' }))).toEqual([
        "@umbra/server may not import @umbra/crypto (allowed: @umbra/protocol)",
      ]);
      expect(problems(server({ "src/x.ts": 'export * from "@umbra/crypto/formats";' }))).toHaveLength(1);
      expect(problems(server({ "test/x.test.ts": 'await import("@umbra/crypto/stream");' }))).toHaveLength(1);
    });

    it("lets protocol import exactly @umbra/crypto/formats", () => {
      expect(problems(protocol('import { ID } from "@umbra/crypto/formats";'))).toEqual([]);
      expect(problems(protocol('import { x } from "@umbra/crypto";'))).toEqual([
        "@umbra/protocol may not import @umbra/crypto (allowed: @umbra/crypto/formats)",
      ]);
    });

    it("refuses undeclared packages, devDependencies in shipped code, and private subpaths", () => {
      expect(problems(server({ "src/a.ts": 'import pg from "pg";' }))).toEqual([
        "pg is not declared in packages/server/package.json",
      ]);
      expect(problems(server({ "src/a.ts": 'import { startServer } from "@umbra/test-harness";' }))).toEqual([
        "@umbra/test-harness is only a devDependency of @umbra/server, but shipped code imports it",
        "@umbra/test-harness is for tests and benches only",
      ]);
      expect(problems(server({ "test/a.test.ts": 'import { it } from "vitest";' }))).toEqual([]);
      expect(problems(server({ "src/a.ts": 'import { it } from "vitest";' }))).toEqual([
        "vitest is not declared in packages/server/package.json",
      ]);
      const client = pkg("packages/client", manifest("@umbra/client", ["@umbra/crypto"]), {
        "src/a.ts": 'import { k } from "@umbra/crypto/src/keys.js";',
      });
      expect(problems(client)).toEqual([
        "@umbra/crypto/src/keys.js is not a public subpath of @umbra/crypto (see its package.json exports)",
      ]);
    });

    it("refuses relative imports that leave the package", () => {
      expect(problems(server({ "src/a/b.ts": 'import { x } from "../../../crypto/src/index.js";' }))).toEqual(
        ["relative import leaves packages/server"],
      );
      expect(problems(server({ "test/a.ts": 'import { x } from "../src/index.js";' }))).toEqual([]);
    });

    it("reads static, type-only, re-exported, side-effect and dynamic imports, not comments", () => {
      const text = [
        'import a from "a";',
        'import type { B } from "b";',
        'import {\n  c,\n  type C,\n} from "c";',
        'export { d } from "d";',
        'export * as e from "e";',
        'import "f";',
        'const g = await import("g");',
        'type H = typeof import("h");',
        '// import "not-me";',
        '/* import "nor-me"; */',
        'const s = "from here";',
      ].join("\n");
      expect(importSpecifiers(text).sort()).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    });
  });
});
