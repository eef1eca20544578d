// Runs the link-password KDF loop (link-kdf-loop.ts, bundled with esbuild together with the real kdf.ts and the
// candidate libraries) in headless Debian Chromium, from a page on localhost (a secure context, so Web Crypto is
// there). Used by link-kdf.bench.ts; run alone with: npx tsx packages/crypto/bench/link-kdf.chromium.ts
// (UMBRA_CHROMIUM sets the browser binary, default /usr/bin/chromium).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
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
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === "/link-kdf.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(script);
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end('<!doctype html><title>umbra link-kdf bench</title><script src="/link-kdf.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: process.env.UMBRA_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const page = await browser.newPage();
    // tsx compiles with keepNames, which wraps functions in a __name() helper that the page lacks.
    await page.addInitScript("globalThis.__name = (target) => target;");
    await page.goto(`http://localhost:${port}/`);
    const result = await page.evaluate(async (options) => {
      type Api = typeof import("./link-kdf-loop.js");
      const api = (globalThis as unknown as { UmbraLinkKdf: Api }).UmbraLinkKdf;
      return api.measureLinkKdf(options);
    }, options);
    return { version: browser.version(), result };
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { version, result } = await measureInChromium({ rounds: 3, slowMs: 5000 });
  console.log(`Chromium ${version}`);
  console.log(JSON.stringify(result, null, 2));
}
