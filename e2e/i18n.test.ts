import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import { logInInBrowser, sdkAccount, strictContext } from "./sharing-helpers.js";

let webDir: string;
let server: RunningServer;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-i18n-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

describe("a second language", () => {
  it("switches the log-in screen to French, keeps the choice after a reload, and back", async () => {
    const page = await (await strictContext(browser, problems)).newPage();
    await page.goto(`${server.url}/#/login`);
    expect(await page.textContent("#login-title")).toBe("Log in to Umbra");
    await page.selectOption("#li-language", "fr");
    await page.waitForFunction(
      () => document.querySelector("#login-title")?.textContent === "Se connecter à Umbra",
    );
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    expect(await page.textContent("label[for=li-password]")).toBe("Mot de passe");
    await page.reload();
    await page.waitForSelector("#login-title");
    expect(await page.textContent("#login-title")).toBe("Se connecter à Umbra");
    await page.click("text=Utiliser votre phrase de récupération");
    await page.waitForSelector("#recover-title");
    expect(await page.textContent("#recover-title")).toBe("Récupérer votre coffre");
    await page.click("text=Retour à la connexion");
    await page.selectOption("#li-language", "en");
    await page.waitForFunction(
      () => document.querySelector("#login-title")?.textContent === "Log in to Umbra",
    );
    expect(problems).toEqual([]);
  });

  it("switches language from Settings once signed in: Settings, Albums and an album page follow", async () => {
    const email = "i18n.e2e@example.com";
    const password = "langue française 8 phare";
    const client = await sdkAccount(server.url, email, password);
    const album = await client.library.createAlbum("Vacances");
    const page = await (await strictContext(browser, problems)).newPage();
    await logInInBrowser(page, server.url, email, password);
    await page.evaluate(() => {
      window.location.hash = "#/settings";
    });
    await page.waitForSelector("#settings-language");
    await page.selectOption("#settings-language", "fr");
    await page.waitForFunction(() => document.querySelector("#settings-title")?.textContent === "Paramètres");
    expect(await page.textContent("#pw-title")).toBe("Changer de mot de passe");
    // Sizes follow too, on the screen already shown: French units and a decimal comma.
    await page.waitForFunction(() =>
      /utilisés sur 5,0 Gio/.test(document.querySelector("[data-testid=storage]")?.textContent ?? ""),
    );
    await page.evaluate(() => {
      window.location.hash = "#/albums";
    });
    await page.waitForFunction(
      () => document.querySelector("#album-name")?.getAttribute("placeholder") === "Nom du nouvel album",
    );
    expect((await page.textContent(".albums .hint"))?.trim()).toBe("0 élément");
    await page.evaluate((id) => {
      window.location.hash = `#/albums/${id}`;
    }, album.id);
    await page.waitForSelector("button:has-text('Masquer l’album')");
    await page.screenshot({ path: path.join(tmpdir(), "umbra-i18n-album-fr.png") });
    await page.evaluate(() => localStorage.setItem("umbra.locale", "en"));
    expect(problems).toEqual([]);
  }, 180_000);

  it("follows the browser's language on a first visit", async () => {
    const context = await browser.newContext({ locale: "fr-FR" });
    const page = await context.newPage();
    await page.goto(`${server.url}/#/login`);
    await page.waitForSelector("#login-title");
    expect(await page.textContent("#login-title")).toBe("Se connecter à Umbra");
    await context.close();
  });
});
