// Runs the link-password KDF loop (link-kdf-loop.ts, bundled with esbuild together with the real kdf.ts and the
// candidate libraries) in headless Debian Chromium, from a page on localhost (a secure context, so Web Crypto is
// there). Used by link-kdf.bench.ts; run alone with: npx tsx packages/crypto/bench/link-kdf.chromium.ts
// (UMBRA_CHROMIUM sets the browser binary, default /usr/bin/chromium).
import { pathToFileURL } from "node:url";
import { openLocalPage } from "@umbra/test-harness/chromium";
import { build } from "esbuild";
import type { LoopOptions, LoopResult } from "./link-kdf-loop.js";

export interface ChromiumRun {
  version: string;
  result: LoopResult;
}

export async function measureInChromium(options: LoopOptions): Promise<ChromiumRun> {
  const bundle = await build({
    entryPoints: [new URL("./link-kdf-loop.ts", import.meta.url).pathname],
    bundle: true,
    format: "iife",
    globalName: "UmbraLinkKdf",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  const { browser, page, close } = await openLocalPage({
    title: "umbra link-kdf bench",
    script: bundle.outputFiles[0]!.text,
  });
  try {
    const result = await page.evaluate(async (options) => {
      type Api = typeof import("./link-kdf-loop.js");
      const api = (globalThis as unknown as { UmbraLinkKdf: Api }).UmbraLinkKdf;
      return api.measureLinkKdf(options);
    }, options);
    return { version: browser.version(), result };
  } finally {
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { version, result } = await measureInChromium({ rounds: 3, slowMs: 5000 });
  console.log(`Chromium ${version}`);
  console.log(JSON.stringify(result, null, 2));
}
