import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import { logInInBrowser, PAGE_WAIT_MS, sdkAccount, strictContext } from "./sharing-helpers.js";

const EMAIL = "pwa.e2e@example.com";
const PASSWORD = "installable harbour 5 quietly";

let webDir: string;
let server: RunningServer;
let stopped = false;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-pwa-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  await sdkAccount(server.url, EMAIL, PASSWORD);
  browser = await launchChromium();
  context = await strictContext(browser, problems);
  page = await context.newPage();
  mkdirSync(artifactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (!stopped) await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

describe("installable app", () => {
  it("links a web manifest whose icons load", async () => {
    await page.goto(server.url);
    const href = await page.getAttribute("link[rel=manifest]", "href");
    expect(href).toBe("/manifest.webmanifest");
    const response = await page.request.get(`${server.url}${href}`);
    expect(response.headers()["content-type"]).toContain("application/manifest+json");
    const manifest = (await response.json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest.name).toBe("Umbra");
    expect(manifest.display).toBe("standalone");
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    expect(manifest.icons.some((i) => i.purpose === "maskable")).toBe(true);
    for (const icon of manifest.icons) {
      const got = await page.request.get(`${server.url}${icon.src}`);
      expect(got.status(), icon.src).toBe(200);
      expect(got.headers()["content-type"]).toBe(icon.type);
      if (icon.type === "image/png") {
        const [w, h] = icon.sizes.split("x").map(Number);
        const png = await got.body();
        expect([png.readUInt32BE(16), png.readUInt32BE(20)], icon.src).toEqual([w, h]);
      }
    }
  });

  it("keeps the app shell, never an API answer, and opens offline to the lock screen", async () => {
    await logInInBrowser(page, server.url, EMAIL, PASSWORD);
    // The worker installs while the app is idle; it holds the shell once its cache lists index.html.
    await page.waitForFunction(
      async () => {
        if (!navigator.serviceWorker.controller) return false;
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          if (await cache.match("/")) return true;
        }
        return false;
      },
      undefined,
      { timeout: PAGE_WAIT_MS, polling: 250 },
    );
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys())
          urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(cached).toContain("/manifest.webmanifest");
    expect(cached.some((u) => u.startsWith("/assets/") && u.endsWith(".js"))).toBe(true);
    expect(cached.filter((u) => u.startsWith("/api/") || u.startsWith("/media/"))).toEqual([]);

    // No server at all: the page comes from the worker's copy, the session saved in this tab stays, locked.
    await server.stop();
    stopped = true;
    await page.reload();
    await page.waitForSelector("#unlock-title");
    expect(await page.textContent("#unlock-title")).toBe("Vault locked");
    expect(await page.textContent("[role=status]")).toContain("You are offline");
    expect(await page.textContent("body")).toContain(EMAIL);
    await page.screenshot({ path: path.join(artifactsDir, "pwa-offline-lock.png") });
    expect(problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to fetch/i.test(p))).toEqual([]);
  });
});
