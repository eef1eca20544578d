/**
 * A Node built-in module when running in Node (≥ 20.16), else undefined. Looked up at run time through
 * process.getBuiltinModule, so no `import "node:…"` ever reaches a browser bundle and browsers simply get
 * undefined. Callers type the slice of the module they use structurally.
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== "function") return undefined;
  try {
    return (proc.getBuiltinModule(id) as T | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}
