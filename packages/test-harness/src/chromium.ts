// Debian's Chromium driven by playwright-core: the browser is never downloaded (`apt-get install chromium`,
// or UMBRA_CHROMIUM names another binary).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page } from "playwright-core";

/** The browser binary: UMBRA_CHROMIUM, default Debian's /usr/bin/chromium. */
export const chromiumExecutable = (): string => process.env.UMBRA_CHROMIUM ?? "/usr/bin/chromium";

/** Headless, and quiet: no sandbox (containers), no GPU, no background traffic of its own. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
}

export interface LocalPage {
  browser: Browser;
  page: Page;
  /** Closes the browser and the page's server. */
  close(): Promise<void>;
}

/**
 * A fresh Chromium on a blank page served from localhost (a secure context, so Web Crypto is there), with
 * `script` (an IIFE bundle, say) loaded by the page when given. For benches that measure code in a browser.
 */
export async function openLocalPage(options: { title: string; script?: string }): Promise<LocalPage> {
  const script = options.script;
  const server = createServer((req, res) => {
    if (script !== undefined && req.url === "/page.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(script);
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    const tag = script === undefined ? "" : '<script src="/page.js"></script>';
    res.end(`<!doctype html><title>${options.title}</title>${tag}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    // tsx compiles with keepNames, which wraps functions in a __name() helper that the page lacks.
    await page.addInitScript("globalThis.__name = (target) => target;");
    await page.goto(`http://localhost:${(server.address() as AddressInfo).port}/`);
    return { browser, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
