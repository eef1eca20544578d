import { type MediaHooks, UmbraClient, type UploadSource } from "@umbra/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { APP_CSP } from "./harness.js";

/**
 * The upper bound of every page wait (Playwright's default is 30 s). Each wait is for a real condition; on a busy
 * machine (another Chromium, the package tests) a login's Argon2id and the first library decrypt take many times
 * what they take alone. Below the tests' own timeout, so a failure names what was awaited.
 */
export const PAGE_WAIT_MS = 120_000;

/** A fresh browser context (no cookies, no storage) whose documents carry the app's CSP; problems are collected. */
export async function strictContext(
  browser: Browser,
  problems: string[],
  requests?: string[],
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    timezoneId: "UTC",
    acceptDownloads: true,
  });
  ctx.setDefaultTimeout(PAGE_WAIT_MS);
  slowDownLikeABusyMachine(ctx);
  await ctx.route("**/*", async (route) => {
    requests?.push(route.request().url());
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": APP_CSP } });
  });
  ctx.on("page", (p: Page) => {
    p.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    p.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
        problems.push(`CSP: ${m.text()}`);
    });
  });
  return ctx;
}

/**
 * UMBRA_E2E_CPU_THROTTLE=N runs every page of the context N times slower (Chromium's CPU throttling), to see on a
 * quiet machine what a busy one does to the waits: `UMBRA_E2E_CPU_THROTTLE=8 npx vitest run e2e/sharing.test.ts`.
 */
function slowDownLikeABusyMachine(ctx: BrowserContext): void {
  const rate = Number(process.env.UMBRA_E2E_CPU_THROTTLE ?? 1);
  if (!(rate > 1)) return;
  ctx.on("page", (page) => {
    void ctx
      .newCDPSession(page)
      .then((cdp) => cdp.send("Emulation.setCPUThrottlingRate", { rate }))
      .catch(() => undefined);
  });
}

/** A real JPEG (a disc on a coloured ground) and its bytes, for uploads through the SDK or the browser. */
export async function makeJpeg(width: number, height: number, colour: string): Promise<Buffer> {
  const disc = `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${
    Math.min(width, height) / 3
  }" fill="#f4d03f"/></svg>`;
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .composite([{ input: Buffer.from(disc) }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

export function jpegSource(name: string, bytes: Buffer): UploadSource {
  return {
    name,
    size: bytes.length,
    mime: "image/jpeg",
    localKey: `${name}:${bytes.length}`,
    open: () => new Blob([new Uint8Array(bytes)]).stream(),
  };
}

/**
 * Thumbnails as the web app makes them (JPEG, 256 px grid, 1440 px preview), here with sharp; `infoOf` adds
 * what a test gives each file by name (its date, its position).
 */
export function sharpHooksWith(
  infoOf: (name: string) => { takenAt?: string; gps?: { lat: number; lon: number } },
): MediaHooks {
  return {
    async extract(source) {
      const bytes = Buffer.from(await new Response(source.open()).arrayBuffer());
      const { width, height } = await sharp(bytes).metadata();
      const scaled = (max: number) =>
        sharp(bytes).resize(max, max, { fit: "inside", withoutEnlargement: true }).jpeg().toBuffer();
      const [grid, preview] = await Promise.all([scaled(256), scaled(1440)]);
      return {
        info: { mime: "image/jpeg", width, height, ...infoOf(source.name) },
        thumbnails: { grid: new Uint8Array(grid), preview: new Uint8Array(preview) },
      };
    },
  };
}

export const sharpHooks: MediaHooks = sharpHooksWith(() => ({ takenAt: "2024-06-01T12:00:00.000Z" }));

/** An account made through the SDK in Node, as another device of the user would. */
export async function sdkAccount(serverUrl: string, email: string, password: string): Promise<UmbraClient> {
  const client = new UmbraClient({ serverUrl });
  await client.signup(email, password, "e2e seed (node)");
  return client;
}

export async function logInInBrowser(page: Page, serverUrl: string, email: string, password: string) {
  await page.goto(`${serverUrl}/#/login`);
  await page.fill("#li-email", email);
  await page.fill("#li-password", password);
  await page.click("form button[type=submit]");
  await page.waitForSelector("nav[aria-label=Sections]");
  // The library (and the albums shared with us) finished loading: the shell's content stops being busy.
  await page.waitForSelector("main.content[aria-busy=false]");
}
