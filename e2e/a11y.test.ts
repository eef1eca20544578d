import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import {
  jpegSource,
  logInInBrowser,
  makeJpeg,
  PAGE_WAIT_MS,
  sdkAccount,
  sharpHooks,
} from "./sharing-helpers.js";

// Every screen is checked by axe-core (WCAG 2.1 A/AA rules); a serious or critical violation fails the test.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const EMAIL = "a11y.e2e@example.com";
const PASSWORD = "readable contrast 8 lantern";

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let webDir: string;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let albumId = "";

async function violations(p: Page, name: string): Promise<Violation[]> {
  await p.screenshot({ path: path.join(artifactsDir, `a11y-${name}.png`) });
  if (!(await p.evaluate(() => "axe" in window))) await p.evaluate(AXE_SOURCE);
  const found = await p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }[];
  });
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
}

async function visit(hash: string, ready: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await page.waitForSelector(ready);
  await page.waitForSelector("main.content[aria-busy=false]");
}

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-a11y-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  const client = await sdkAccount(server.url, EMAIL, PASSWORD);
  albumId = (await client.library.createAlbum("Summer")).id;
  const photos = await Promise.all([makeJpeg(640, 480, "#2e86c1"), makeJpeg(480, 640, "#a93226")]);
  await client.upload(
    photos.map((bytes, i) => jpegSource(`photo-${i}.jpg`, bytes)),
    sharpHooks,
    { albumId },
  );
  browser = await launchChromium();
  // axe is injected into each page, which the app's CSP (no inline script) would refuse.
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, bypassCSP: true });
  context.setDefaultTimeout(PAGE_WAIT_MS);
  page = await context.newPage();
  mkdirSync(artifactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

describe("accessibility (axe-core, no serious or critical violation)", () => {
  it("signed-out screens: log in, sign up, recover", async () => {
    for (const [hash, ready] of [
      ["#/login", "#li-email"],
      ["#/signup", "form"],
      ["#/recover", "form"],
    ] as const) {
      await page.goto(`${server.url}/${hash}`);
      await page.waitForSelector(ready);
      expect(await violations(page, hash.slice(2)), hash).toEqual([]);
    }
  });

  it("every screen of the app, and the viewer", async () => {
    await logInInBrowser(page, server.url, EMAIL, PASSWORD);
    await page.waitForSelector("main.content img");
    expect(await violations(page, "photos"), "photos").toEqual([]);
    for (const [hash, ready, name] of [
      ["#/albums", "main.content", "albums"],
      [`#/albums/${albumId}`, "main.content img", "album"],
      ["#/shared", "main.content", "shared"],
      ["#/favorites", "main.content", "favorites"],
      ["#/search", "main.content input", "search"],
      ["#/trash", "main.content", "trash"],
      ["#/settings", "main.content", "settings"],
    ] as const) {
      await visit(hash, ready);
      expect(await violations(page, name), name).toEqual([]);
    }
    await visit("#/", "main.content img");
    await page.click("main.content img");
    await page.waitForSelector("[role=dialog]");
    expect(await violations(page, "viewer"), "viewer").toEqual([]);
  });

  it("the lock screen", async () => {
    await page.keyboard.press("Escape");
    await page.reload();
    await page.waitForSelector("#unlock-title");
    expect(await violations(page, "unlock"), "unlock").toEqual([]);
  });

  it("the check itself sees a violation (an unlabelled button added to the page)", async () => {
    await page.evaluate(() => {
      const button = document.createElement("button");
      button.id = "a11y-canary";
      document.body.append(button);
    });
    expect((await violations(page, "canary")).map((v) => v.id)).toContain("button-name");
  });
});
