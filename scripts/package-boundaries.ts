// The package lines the build enforces (scripts/package-boundaries.test.ts): every import a package's code makes
// is declared in its package.json, goes in the allowed direction between workspace packages, names a public
// subpath, and no relative import leaves the package's folder.
import { builtinModules } from "node:module";
import path from "node:path";

/**
 * Which workspace packages each package may import, as `@umbra/name` (any public subpath) or an exact
 * `@umbra/name/subpath`. `crypto ← client ← (web, cli)`, `protocol` shared, the server apart from keys.
 */
export const ALLOWED_WORKSPACE_IMPORTS: Record<string, readonly string[]> = {
  "@umbra/crypto": [],
  // Format constants only (id patterns, KDF minimums): a leaf subpath with no key-handling code behind it.
  "@umbra/protocol": ["@umbra/crypto/formats"],
  "@umbra/client": ["@umbra/crypto", "@umbra/protocol"],
  "@umbra/web": ["@umbra/client", "@umbra/crypto", "@umbra/protocol"],
  "@umbra/cli": ["@umbra/client", "@umbra/crypto", "@umbra/protocol"],
  "@umbra/server": ["@umbra/protocol", ...serverProtectionModeModules()],
  "@umbra/test-harness": [],
};

/**
 * The one crypto module a server-side "Standard" protection mode (the server holding an album key for its
 * owner) may use, named here when that mode exists. None does yet: the server imports no key-handling code.
 */
function serverProtectionModeModules(): string[] {
  return [];
}

/** Test scaffolding: imported by tests and benches only, never by the code a package ships. */
export const TEST_ONLY_PACKAGES = ["@umbra/test-harness"];

export interface PackageManifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

export interface PackageSources {
  /** The package's folder, relative to the repository root (packages/server). */
  dir: string;
  manifest: PackageManifest;
  /** Its source files: path relative to the repository root, and text. */
  files: { path: string; text: string }[];
}

export interface Violation {
  file: string;
  specifier: string;
  problem: string;
}

/** Code that runs only in tests, benches and build scripts (not what the package ships to its users). */
export function isTestOrTooling(packageDir: string, file: string): boolean {
  const inside = path.posix.relative(packageDir, file);
  return (
    /\.test\.[cm]?[jt]s$/.test(file) ||
    inside.startsWith("test/") ||
    inside.startsWith("bench/") ||
    inside.startsWith("scripts/")
  );
}

/** Code that may use test scaffolding: tests and benches (not build scripts). */
function isTestOrBench(packageDir: string, file: string): boolean {
  const inside = path.posix.relative(packageDir, file);
  return /\.test\.[cm]?[jt]s$/.test(file) || inside.startsWith("test/") || inside.startsWith("bench/");
}

const IMPORT_PATTERNS = [
  // import x from "m"; import { a } from "m"; import type { T } from "m"; export { a } from "m"; export * from "m"
  /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?[\w*${}\s,]*?\s*from\s*["']([^"'\n]+)["']/g,
  // import "m" (side effects)
  /(?:^|[\s;])import\s*["']([^"'\n]+)["']/g,
  // import("m"), typeof import("m")
  /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g,
];

/** Every module specifier a file imports or re-exports, statically or with `import()`. Comments are ignored. */
export function importSpecifiers(text: string): string[] {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .split("\n")
    .filter((line) => !/^\s*\/\//.test(line))
    .join("\n");
  const found: string[] = [];
  for (const pattern of IMPORT_PATTERNS) for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

const builtins = new Set(builtinModules);

/** What `specifier` of a workspace package resolves to among its manifest's `exports` (undefined: none). */
function exportsSubpath(manifest: PackageManifest, specifier: string): boolean {
  const subpath = `.${specifier.slice(manifest.name.length)}`;
  return manifest.exports === undefined || subpath in manifest.exports;
}

/**
 * Checks every package's imports. `rootDevDependencies` is the workspace's shared tooling (vitest, esbuild,
 * playwright-core…): tests, benches and scripts may use it without declaring it again.
 */
export function checkBoundaries(
  packages: PackageSources[],
  rootDevDependencies: Record<string, string>,
): Violation[] {
  const byName = new Map(packages.map((p) => [p.manifest.name, p]));
  const violations: Violation[] = [];
  for (const pkg of packages) {
    const { manifest, dir } = pkg;
    const shipped = { ...manifest.dependencies, ...manifest.peerDependencies };
    const declared = { ...shipped, ...manifest.devDependencies };
    const allowed = ALLOWED_WORKSPACE_IMPORTS[manifest.name];
    for (const file of pkg.files) {
      const tooling = isTestOrTooling(dir, file.path);
      for (const raw of importSpecifiers(file.text)) {
        const specifier = raw.split("?")[0]!;
        const report = (problem: string) => violations.push({ file: file.path, specifier: raw, problem });
        if (specifier.startsWith(".")) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier));
          if (!target.startsWith(`${dir}/`)) report(`relative import leaves ${dir}`);
          continue;
        }
        if (specifier.startsWith("node:") || builtins.has(specifier) || specifier.startsWith("virtual:"))
          continue;
        const name = packageNameOf(specifier);
        if (name === manifest.name) continue;
        const inRoot = tooling && name in rootDevDependencies;
        if (!(name in (tooling ? declared : shipped)) && !inRoot)
          report(
            name in declared
              ? `${name} is only a devDependency of ${manifest.name}, but shipped code imports it`
              : `${name} is not declared in ${dir}/package.json`,
          );
        const workspace = byName.get(name);
        if (!workspace) continue;
        if (TEST_ONLY_PACKAGES.includes(name)) {
          if (!isTestOrBench(dir, file.path)) report(`${name} is for tests and benches only`);
          continue;
        }
        if (!exportsSubpath(workspace.manifest, specifier))
          report(`${specifier} is not a public subpath of ${name} (see its package.json exports)`);
        if (!allowed) report(`${manifest.name} has no entry in ALLOWED_WORKSPACE_IMPORTS`);
        else if (!allowed.includes(name) && !allowed.includes(specifier))
          report(`${manifest.name} may not import ${specifier} (allowed: ${allowed.join(", ") || "none"})`);
      }
    }
  }
  return violations;
}
