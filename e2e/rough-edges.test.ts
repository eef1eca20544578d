import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { UmbraClient } from "@umbra/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import { makeJpeg, sdkAccount, strictContext } from "./sharing-helpers.js";

// The rough edges a new user found (issue 15), each checked as they met it.
const EMAIL = "rough.e2e@example.com";
const PASSWORD = "smooth edges 9 harbour";
const PASSWORD_2 = "smoother still 10 harbour";

let webDir: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let client: UmbraClient;
let photoPath = "";
const problems: string[] = [];

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-rough-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  client = await sdkAccount(server.url, EMAIL, PASSWORD);
  photoPath = path.join(webDir, "rough-photo.jpg");
  writeFileSync(photoPath, await makeJpeg(640, 480, "#884422"));
  browser = await launchChromium();
  page = await (await strictContext(browser, problems)).newPage();
  await page.goto(`${server.url}/#/login`);
  await page.fill("#li-email", EMAIL);
  await page.fill("#li-password", PASSWORD);
  await page.check("#li-remember");
  await page.click("form button[type=submit]");
  await page.waitForSelector("main.content[aria-busy=false]");
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

async function go(hash: string, ready: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await page.waitForSelector(ready);
}

describe("rough edges, smoothed", () => {
  it("an empty library says what to do, and its button opens the file picker", async () => {
    await page.waitForSelector("[data-testid=empty-state]");
    expect(await page.textContent("[data-testid=empty-state] h2")).toContain("will appear here");
    await page.screenshot({ path: path.join(artifactsDir, "rough-empty-state.png") });
    const [chooser] = await Promise.all([
      page.waitForEvent("filechooser"),
      page.click("[data-testid=empty-state] button:has-text('Upload photos')"),
    ]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([photoPath]);
    await page.waitForSelector("main.content .tile img");
  }, 180_000);

  it("storage uses the quota's binary units; sessions can be told apart", async () => {
    await go("#/settings", "[data-testid=storage]");
    await page.waitForFunction(() =>
      /of 5\.0 GiB used/.test(document.querySelector("[data-testid=storage]")?.textContent ?? ""),
    );
    await page.waitForSelector(".sessions li");
    const sessions = await page.locator(".sessions li").allTextContents();
    const mine = sessions.find((s) => s.includes("(this tab)"))!;
    expect(mine).toMatch(/on Linux · browser [A-Z2-9]{4}/);
    expect(mine).toContain("Signed in");
  }, 180_000);

  it("a password change keeps 'Stay unlocked in this tab' across a reload", async () => {
    await page.fill("#pw-current", PASSWORD);
    await page.fill("#pw-new", PASSWORD_2);
    await page.fill("#pw-repeat", PASSWORD_2);
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=strength]")?.textContent?.includes("strong"),
    );
    await page.click("button:has-text('Change password')");
    await page.waitForSelector("text=Password changed");
    await page.reload();
    await page.waitForSelector("[data-testid=storage]");
    expect(await page.$("#ul-password")).toBeNull();
  }, 180_000);

  it("Undo after the trash was emptied elsewhere says so plainly", async () => {
    await go("#/", "main.content .tile img");
    await page.click("main.content [data-testid=tile-check]");
    await page.keyboard.press("Delete");
    await page.waitForSelector("[data-testid=toast]:has-text('to trash') button:has-text('Undo')");
    // Another device empties the trash before the user clicks Undo.
    await client.library.sync();
    expect(await client.library.emptyTrash()).toBe(1);
    await page.click("[data-testid=toast]:has-text('to trash') button:has-text('Undo')");
    await page.waitForSelector("[data-testid=toast]:has-text('deleted for good when the trash was emptied')");
    expect(await page.textContent("body")).not.toMatch(/not found/i);
  }, 180_000);

  it("deleting an album asks first; Cancel keeps it", async () => {
    const album = await client.library.createAlbum("Keep me");
    await go(`#/albums/${album.id}`, "h1:has-text('Keep me')");
    await page.waitForSelector("[data-testid=empty-state] h2:has-text('This album is empty')");
    await page.click("header button:has-text('Delete album')");
    await page.waitForSelector("[data-testid=confirm-delete-album]");
    await page.screenshot({ path: path.join(artifactsDir, "rough-delete-album.png") });
    await page.click("[data-testid=confirm-delete-album] button:has-text('Cancel')");
    await page.waitForSelector("[data-testid=confirm-delete-album]", { state: "detached" });
    expect(await page.$("h1:has-text('Keep me')")).not.toBeNull();
    await page.click("header button:has-text('Delete album')");
    await page.click("[data-testid=confirm-delete-album] button:has-text('Delete album')");
    await page.waitForFunction(() => location.hash === "#/albums");
    await page.waitForFunction(() => !document.body.textContent?.includes("Keep me"));
  }, 180_000);

  it("on a phone the upload panel is a bar, and it goes away when all went well", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => {
      window.location.hash = "#/";
    });
    await page.reload();
    await page.waitForSelector("main.content[aria-busy=false]");
    const second = path.join(webDir, "rough-photo-2.jpg");
    writeFileSync(second, await makeJpeg(480, 640, "#224488"));
    await page.setInputFiles("[data-testid=file-input]", [second]);
    await page.waitForSelector("[data-testid=uploads]");
    const panel = (await (await page.$("[data-testid=uploads]"))!.boundingBox())!;
    expect(panel.height).toBeLessThan(844 * 0.25);
    expect(await page.$("[data-testid=uploads] ul")).toBeNull();
    await page.screenshot({ path: path.join(artifactsDir, "rough-upload-phone.png") });
    await page.waitForSelector("[data-testid=uploads]", { state: "detached" });
    await page.waitForSelector("main.content .tile img");
    expect(problems).toEqual([]);
  }, 180_000);
});
