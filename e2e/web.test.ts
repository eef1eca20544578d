import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAMERA, CAMERA_2, type Fixture, makeFixtures } from "./fixtures.js";
import {
  APP_CSP,
  artifactsDir,
  buildWeb,
  launchChromium,
  type RunningServer,
  serverFiles,
  startServer,
} from "./harness.js";

const EMAIL = "ada.e2e@example.com";
const PASSWORD_1 = "orbit lantern quietly 7 marmalade";
const PASSWORD_2 = "second pelican harvest 9 cobalt";
const PASSWORD_3 = "third window glacier 4 saffron";
const ALBUM = "Paris trip 2021";

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let fixtures: Fixture[];
let phrase = "";
const pageErrors: string[] = [];
const cspViolations: string[] = [];
let shot = 0;

async function snap(p: Page, name: string): Promise<void> {
  shot++;
  await p.screenshot({ path: path.join(artifactsDir, `${String(shot).padStart(2, "0")}-${name}.png`) });
}

async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    timezoneId: "UTC",
    acceptDownloads: true,
    ...options,
  });
  // Documents are served with the app's own strict CSP (stricter than or equal to the server's), so any
  // inline script, inline style or foreign origin the app relied on would show up as a violation below.
  await ctx.route("**/*", async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": APP_CSP } });
  });
  ctx.on("page", (p) => {
    p.on("pageerror", (e) => pageErrors.push(e.message));
    p.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
        cspViolations.push(m.text());
    });
  });
  return ctx;
}

async function logIn(p: Page, password: string): Promise<void> {
  await p.goto(`${server.url}/#/login`);
  await p.fill("#li-email", EMAIL);
  await p.fill("#li-password", password);
  await p.click("form button[type=submit]");
}

async function waitForTiles(p: Page, count: number): Promise<void> {
  await p.waitForFunction(
    (n) => document.querySelectorAll("[data-testid=grid] .tile img").length === n,
    count,
    { timeout: 60_000 },
  );
}

async function search(p: Page, q: string, n: number): Promise<void> {
  if (!p.url().endsWith("#/search")) await p.goto(`${server.url}/#/search`);
  await p.fill("#search-q", q);
  await p.waitForFunction(
    (expected) =>
      document.querySelector("[data-testid=search-count]")?.textContent?.startsWith(`${expected} result`),
    n,
  );
  await waitForTiles(p, n);
}

function fixture(name: string): Fixture {
  const f = fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
}

const STEP_MS = 180_000;

beforeAll(async () => {
  mkdirSync(artifactsDir, { recursive: true });
  for (const name of readdirSync(artifactsDir))
    if (name.endsWith(".png")) rmSync(path.join(artifactsDir, name));
  buildWeb();
  fixtures = await makeFixtures(path.join(artifactsDir, "fixtures"));
  server = await startServer();
  browser = await launchChromium();
  context = await newContext();
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("web app, end to end in Chromium against a real server", { timeout: STEP_MS }, () => {
  it("is served at / with a CSP that lets OPAQUE's WebAssembly run", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/img-src[^;]*blob:/);
    expect(csp).toMatch(/media-src[^;]*blob:/);
    expect(csp).toMatch(/script-src[^;]*'wasm-unsafe-eval'/);
  });

  it("signs up: refuses a weak password, shows the phrase once, checks three of its words", async () => {
    await page.goto(`${server.url}/#/signup`);
    await page.fill("#su-email", EMAIL);
    await page.fill("#su-password", "password123");
    await page.fill("#su-confirm", "password123");
    await page.waitForSelector("[data-testid=strength]");
    expect(await page.isDisabled("form button[type=submit]")).toBe(true);
    await snap(page, "signup-weak-password");
    await page.fill("#su-password", PASSWORD_1);
    await page.fill("#su-confirm", PASSWORD_1);
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=strength]")?.textContent?.includes("strong"),
    );
    await page.click("form button[type=submit]");
    await page.waitForSelector("[data-testid=recovery-phrase]", { timeout: 60_000 });
    phrase = (await page.locator("[data-testid=recovery-phrase] .w").allTextContents()).join(" ");
    // The account exists: the address no longer offers sign-up (a reload must not show the form again).
    expect(new URL(page.url()).hash).not.toContain("signup");
    expect(phrase.split(" ")).toHaveLength(24);
    await snap(page, "recovery-phrase");
    await page.click("text=I saved it");
    const words = phrase.split(" ");
    for (let i = 0; i < 3; i++) {
      const label = await page.textContent(`label[for=quiz-${i}]`);
      const position = Number(/#(\d+)/.exec(label ?? "")?.[1]);
      await page.fill(`#quiz-${i}`, words[position - 1]!);
    }
    await page.click("text=Open my vault");
    await page.waitForSelector("[data-testid=grid]");
    await snap(page, "empty-timeline");
  });

  it("uploads photos and a video; thumbnails appear grouped by month and day", async () => {
    await page.setInputFiles(
      "[data-testid=file-input]",
      fixtures.map((f) => f.path),
    );
    await page.waitForFunction(
      (n) => document.querySelectorAll("[data-testid=uploads] li[data-state=done]").length === n,
      fixtures.length,
      { timeout: 120_000 },
    );
    await waitForTiles(page, fixtures.length);
    // Digests, EXIF and photo thumbnails were made off the page, in the media-prep workers.
    expect(page.workers().map((w) => w.url())).toContainEqual(expect.stringMatching(/media-prep-worker/));
    await snap(page, "timeline-uploaded");
    const months = await page.locator("[data-testid=grid] .month h2").allTextContents();
    expect(months).toContain("July 2021");
    expect(months).toContain("March 2019");
    // The video is dated by its container's creation time (VIDEO_CREATED), not by the upload.
    expect(months).toContain("May 2020");
    expect(await page.getAttribute('.tile[aria-label^="clip-waves.mp4"]', "aria-label")).toContain(
      "May 9, 2020",
    );
    // With everything uploaded and nothing to report, the panel goes away by itself.
    await page.mouse.move(5, 400);
    await page.waitForSelector("[data-testid=uploads]", { state: "detached" });
    // The same file again is recognised as a duplicate and skipped, said at the top of the panel.
    await page.setInputFiles("[data-testid=file-input]", [fixture("harbor-morning.jpg").path]);
    await page.waitForSelector("[data-testid=uploads] li[data-state=skipped]", { timeout: 60_000 });
    expect(await page.textContent("[data-testid=upload-problems]")).toContain("1 duplicate skipped");
    await waitForTiles(page, fixtures.length);
  });

  it("shows camera, date and GPS in the viewer; the download equals the original bytes", async () => {
    const original = fixture("eiffel-sunset-paris.jpg");
    await page.click(`.tile[aria-label^="${original.name}"]`);
    await page.waitForSelector("[data-testid=viewer] img");
    await page.click("[data-testid=viewer] button:has-text('Info')");
    expect(await page.textContent("[data-testid=info-camera]")).toBe(`${CAMERA.make} ${CAMERA.model}`);
    expect(await page.textContent("[data-testid=info-date]")).toContain("July 14, 2021");
    expect(await page.textContent("[data-testid=info-gps]")).toContain("48.85823");
    await snap(page, "viewer-info");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("[data-testid=viewer] button:has-text('Download')"),
    ]);
    expect(download.suggestedFilename()).toBe(original.name);
    const saved = path.join(artifactsDir, "downloaded.jpg");
    await download.saveAs(saved);
    expect(Buffer.compare(readFileSync(saved), original.bytes)).toBe(0);
    await page.keyboard.press("Escape");
    await page.waitForSelector("[data-testid=viewer]", { state: "detached" });
  });

  it("plays the video after decrypting it", async () => {
    await page.click('.tile[aria-label^="clip-waves.mp4"]');
    await page.waitForSelector("[data-testid=video]", { timeout: 60_000 });
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>("[data-testid=video]");
      return v !== null && v.readyState >= 2 && v.videoWidth === 320;
    });
    await snap(page, "viewer-video");
    await page.keyboard.press("Escape");
  });

  it("comes back locked after a reload and unlocks with the password", async () => {
    await page.reload();
    await page.waitForSelector("#ul-password");
    await snap(page, "locked-after-reload");
    await page.fill("#ul-password", PASSWORD_1);
    await page.check("#ul-remember");
    await page.click("form button[type=submit]");
    await waitForTiles(page, fixtures.length);
    // "Stay unlocked in this tab": the keys live in sessionStorage, never localStorage.
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain("masterKey");
    await page.reload();
    await waitForTiles(page, fixtures.length);
    await page.click("button:has-text('Lock')");
    await page.waitForSelector("#ul-password");
    expect(await page.evaluate(() => sessionStorage.getItem("umbra.session"))).not.toContain("masterKey");
    await page.fill("#ul-password", PASSWORD_1);
    await page.click("form button[type=submit]");
    await waitForTiles(page, fixtures.length);
  });

  it("logs in from a second browser context as a new device and sees the same library", async () => {
    const other = await newContext();
    const p2 = await other.newPage();
    await logIn(p2, PASSWORD_1);
    await waitForTiles(p2, fixtures.length);
    await snap(p2, "second-device");
    await p2.goto(`${server.url}/#/settings`);
    await p2.waitForFunction(() => document.querySelectorAll(".sessions li").length >= 2);
    await other.close();
  });

  it("changes the password: the old one fails, the new one works", async () => {
    await page.goto(`${server.url}/#/settings`);
    await page.fill("#pw-current", PASSWORD_1);
    await page.fill("#pw-new", PASSWORD_2);
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=strength]")?.textContent?.includes("strong"),
    );
    // A typo in the repeat field is caught before anything is re-wrapped.
    await page.fill("#pw-repeat", `${PASSWORD_2}x`);
    await page.waitForSelector("[data-testid=pw-mismatch]");
    expect(await page.isDisabled("button:has-text('Change password')")).toBe(true);
    await page.fill("#pw-repeat", PASSWORD_2);
    await page.click("button:has-text('Change password')");
    await page.waitForSelector("text=Password changed", { timeout: 60_000 });
    await snap(page, "settings-password-changed");
    await page.click("button:has-text('Log out')");
    await page.waitForSelector("#li-email");
    await logIn(page, PASSWORD_1);
    await page.waitForSelector("[role=alert]", { timeout: 60_000 });
    await snap(page, "old-password-refused");
    await logIn(page, PASSWORD_2);
    await waitForTiles(page, fixtures.length);
  });

  it("recovers with the phrase and a new password", async () => {
    await page.click("button:has-text('Log out')");
    await page.goto(`${server.url}/#/recover`);
    await page.fill("#rc-email", EMAIL);
    await page.fill("#rc-phrase", phrase);
    await page.fill("#rc-password", PASSWORD_3);
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=strength]")?.textContent?.includes("strong"),
    );
    await page.click("form button[type=submit]");
    await page.waitForSelector("text=Password replaced", { timeout: 60_000 });
    await snap(page, "recovered");
    await logIn(page, PASSWORD_3);
    await waitForTiles(page, fixtures.length);
    // Settings shows the phrase again, only after the password.
    await page.goto(`${server.url}/#/settings`);
    await page.fill("#phrase-pw", PASSWORD_3);
    await page.click("button:has-text('Reveal recovery phrase')");
    await page.waitForSelector("[data-testid=revealed-phrase] li", { timeout: 30_000 });
    await snap(page, "phrase-revealed");
    const words = await page.locator("[data-testid=revealed-phrase] li").allTextContents();
    expect(words.join(" ")).toBe(phrase);
    await page.click("button:has-text('Hide')");
    await page.goto(`${server.url}/#/`);
    await waitForTiles(page, fixtures.length);
  });

  it("deletes from the viewer and undoes it from the toast", async () => {
    const victim = fixture("screenshot-yellow.png");
    await page.click(`.tile[aria-label^="${victim.name}"]`);
    await page.click("[data-testid=viewer] button:has-text('Delete')");
    await page.waitForSelector("[data-testid=toast] button:has-text('Undo')");
    await snap(page, "deleted-undo-toast");
    await page.keyboard.press("Escape");
    await waitForTiles(page, fixtures.length - 1);
    await page.click("[data-testid=toast] button:has-text('Undo')");
    await waitForTiles(page, fixtures.length);
    await page.goto(`${server.url}/#/trash`);
    await page.waitForSelector("text=The trash is empty.");
  });

  it("searches by filename, camera and month, all in the browser", async () => {
    await search(page, "eiffel", 1);
    await search(page, CAMERA_2.make.toLowerCase(), 1);
    await search(page, CAMERA.model, 1);
    await search(page, "July 2021", 1);
    await snap(page, "search-july-2021");
  });

  it("creates an album, adds a photo from the viewer, favorites it", async () => {
    await page.goto(`${server.url}/#/albums`);
    await page.fill("#album-name", ALBUM);
    await page.click("button:has-text('Create album')");
    await page.waitForSelector(`h1:has-text("${ALBUM}")`);
    await page.goto(`${server.url}/#/`);
    await page.click('.tile[aria-label^="harbor-morning.jpg"]');
    await page.click("[data-testid=viewer] button:has-text('Add to album')");
    await page.click(`[role=menuitem]:has-text("${ALBUM}")`);
    await page.waitForSelector("[data-testid=toast]:has-text('Added to album')");
    await page.click("[data-testid=viewer] button[aria-label=Favorite]");
    await page.waitForSelector("[data-testid=viewer] button[aria-label=Favorite][aria-pressed=true]");
    await page.keyboard.press("Escape");
    await page.goto(`${server.url}/#/favorites`);
    await waitForTiles(page, 1);
    await page.goto(`${server.url}/#/albums`);
    await page.waitForSelector(`.album:has-text("${ALBUM}"):has-text("1 item") img`);
    await snap(page, "albums");
    await page.click(`.album:has-text("${ALBUM}")`);
    await waitForTiles(page, 1);
    await search(page, "paris trip", 1);
  });

  it("fits a phone screen in dark mode", async () => {
    const phone = await newContext({ viewport: { width: 390, height: 800 }, colorScheme: "dark" });
    const p = await phone.newPage();
    await logIn(p, PASSWORD_3);
    await waitForTiles(p, fixtures.length);
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const bg = await p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe("rgb(17, 19, 23)");
    await snap(p, "phone-dark");
    await phone.close();
  });

  it("leaves no filename, EXIF value or password in the server's database, blobs or log", async () => {
    const files = serverFiles(server.dataDir);
    expect(files.some((f) => f.file.endsWith("server.log"))).toBe(true);
    const secrets = [
      ...fixtures.map((f) => f.name),
      ...fixtures.map((f) => f.name.replace(/\.[^.]+$/, "")),
      CAMERA.make,
      CAMERA.model,
      CAMERA.lens,
      CAMERA_2.model,
      ALBUM,
      "48.858",
      PASSWORD_1,
      PASSWORD_2,
      PASSWORD_3,
      phrase.split(" ").slice(0, 3).join(" "),
    ];
    const found: string[] = [];
    for (const { file, bytes } of files) {
      for (const secret of secrets) {
        if (bytes.includes(Buffer.from(secret, "utf8")) || bytes.includes(Buffer.from(secret, "utf16le"))) {
          found.push(`${secret} in ${path.relative(server.dataDir, file)}`);
        }
      }
    }
    expect(found).toEqual([]);
    // The fixture's original bytes (JPEG start incl. EXIF) are nowhere either.
    const jpegHead = fixture("eiffel-sunset-paris.jpg").bytes.subarray(0, 64);
    expect(files.filter((f) => f.bytes.includes(jpegHead)).map((f) => f.file)).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it("deletes the account: the email no longer logs in", async () => {
    await page.goto(`${server.url}/#/settings`);
    await page.fill("#delete-confirm", EMAIL);
    await page.click("form button.danger:has-text('Delete account')");
    await page.waitForSelector("#li-email", { timeout: 60_000 });
    await logIn(page, PASSWORD_3);
    await page.waitForSelector("[role=alert]", { timeout: 60_000 });
    const files = serverFiles(server.dataDir).filter(
      (f) => !/server\.log$|\.sqlite|\.db|opaque/i.test(f.file),
    );
    expect(files.filter((f) => f.bytes.length > 0).map((f) => path.relative(server.dataDir, f.file))).toEqual(
      [],
    );
  });
});
