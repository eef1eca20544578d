import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MediaHooks } from "@umbra/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeb, launchChromium, type RunningServer, startServer } from "./harness.js";
import {
  jpegSource,
  makeJpeg,
  PAGE_WAIT_MS,
  sdkAccount,
  sharpHooksWith,
  strictContext,
} from "./sharing-helpers.js";

const EMAIL = "memories.e2e@example.com";
const PASSWORD = "on this day 14 juillet";

// Dated relative to today (UTC, the browser context's zone): memories must show whatever day the test runs on.
const now = new Date();
const at = (yearsAgo: number, dayShift: number, hour: number) =>
  new Date(
    Date.UTC(now.getUTCFullYear() - yearsAgo, now.getUTCMonth(), now.getUTCDate() + dayShift, hour),
  ).toISOString();

/** Each photo's takenAt and the day it was taken on in its own local time (what search and memories read). */
const SEED: { name: string; takenAt: string; day?: string }[] = [
  { name: "one-year.jpg", takenAt: at(1, 0, 12) },
  { name: "three-years-a.jpg", takenAt: at(3, 0, 9) },
  { name: "three-years-b.jpg", takenAt: at(3, 0, 15) },
  { name: "other-day.jpg", takenAt: at(1, 3, 12) },
  { name: "summer-a.jpg", takenAt: "2023-07-20T15:00:00.000Z" },
  { name: "summer-b.jpg", takenAt: "2023-06-10T10:00:00.000Z" },
  { name: "autumn.jpg", takenAt: "2023-09-02T10:00:00.000Z" },
  { name: "bastille-2021.jpg", takenAt: "2021-07-14T10:00:00.000Z" },
  { name: "bastille-2019.jpg", takenAt: "2019-07-14T18:00:00.000Z" },
  { name: "july4.jpg", takenAt: "2021-07-04T12:00:00.000Z" },
  // 23:30 in New York is 5 July in UTC (the browser's zone): its own offset says 4 July.
  { name: "july4-ny.jpg", takenAt: "2021-07-04T23:30:00-04:00", day: "2021-07-04" },
];
const dayOf = (s: (typeof SEED)[number]) => s.day ?? s.takenAt.slice(0, 10);
const namesWhere = (test: (day: string) => boolean) =>
  SEED.filter((s) => test(dayOf(s)))
    .map((s) => s.name)
    .sort();

const COLOURS = ["#a93226", "#2e86c1", "#1e8449", "#b7950b", "#6c3483", "#ca6f1e", "#17202a", "#117a65"];
const colour = (i: number) => COLOURS[i % COLOURS.length]!.replace(/.$/, String(i % 10));

const hooks: MediaHooks = sharpHooksWith((name) => ({ takenAt: SEED.find((s) => s.name === name)!.takenAt }));

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Serious and critical WCAG 2.1 A/AA violations on the page, as e2e/a11y.test.ts counts them. */
async function axeViolations(page: Page, within = "body"): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (selector) => {
    type Axe = { run(context: unknown, options: unknown): Promise<{ violations: unknown[] }> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run(selector, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return (result.violations as { id: string; impact: string | null; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, within);
}

let webDir: string;
let server: RunningServer;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "umbra-memories-web-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  const client = await sdkAccount(server.url, EMAIL, PASSWORD);
  const sources = await Promise.all(
    SEED.map(async (s, i) => jpegSource(s.name, await makeJpeg(640, 480, colour(i)))),
  );
  await client.upload(sources, hooks, {});
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(webDir, { recursive: true, force: true });
});

async function open(width: number, height: number): Promise<Page> {
  const context = await strictContext(browser, problems);
  context.setDefaultTimeout(PAGE_WAIT_MS);
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(`${server.url}/#/login`);
  await page.fill("#li-email", EMAIL);
  await page.fill("#li-password", PASSWORD);
  await page.click("form button[type=submit]");
  await page.waitForSelector("main.content[aria-busy=false]");
  return page;
}

/** The names of the tiles shown, once there are `n` of them. */
async function tileNames(page: Page, n: number): Promise<string[]> {
  await page.waitForFunction((count) => document.querySelectorAll("main.content .tile").length === count, n);
  const labels = await page.$$eval("main.content .tile", (els) =>
    els.map((e) => e.getAttribute("aria-label")),
  );
  return labels.map((l) => (l ?? "").split(",")[0]!).sort();
}

async function cards(page: Page): Promise<{ key: string; text: string }[]> {
  return page.$$eval("[data-testid=memory-card]", (els) =>
    els.map((e) => ({
      key: e.getAttribute("data-memory") ?? "",
      text: (e.textContent ?? "").replace(/\s+/g, " "),
    })),
  );
}

describe("memories and dates in search", () => {
  it("Photos shows On this day: a card per earlier year, opening that day's photos", async () => {
    const page = await open(1280, 860);
    await page.waitForSelector("[data-testid=memory-card]");
    // Every card's cover thumbnail decrypted before the screenshot.
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-testid=memory-card]")].every(
        (c) => c.querySelector("img")?.complete,
      ),
    );
    await page.waitForSelector("main.content .tile img");
    await page.screenshot({ path: "/tmp/memories-1280.png" });
    // The strip, the grid and its date scrubber (the year labels sit beside its slider, not inside it).
    expect(await axeViolations(page, "main.content")).toEqual([]);
    const shown = await cards(page);
    expect(shown.map((c) => c.text.trim())).toEqual(["1 year ago 1 photo", "3 years ago 2 photos"]);
    await page.click("[data-testid=memory-card] >> nth=1");
    await page.waitForSelector("[data-testid=memory-page]");
    expect(await tileNames(page, 2)).toEqual(["three-years-a.jpg", "three-years-b.jpg"]);
    expect(await page.textContent("[data-testid=memory-page] h1")).toContain("3 years ago");
    await page.waitForSelector("main.content .tile img");
    await page.screenshot({ path: "/tmp/memory-page-1280.png" });
    expect(page.url()).toContain(`#/memories/${shown[1]!.key}`);
    expect(await axeViolations(page)).toEqual([]);
    // Back to Photos; the other card opens its one photo.
    await page.click("[data-testid=memory-page] a.back");
    await page.click("[data-testid=memory-card] >> nth=0");
    expect(await tileNames(page, 1)).toEqual(["one-year.jpg"]);
    await page.context().close();
  }, 240_000);

  it("at 390 px the strip scrolls sideways above the grid; × hides it for the day", async () => {
    const page = await open(390, 844);
    await page.waitForSelector("[data-testid=memory-card]");
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-testid=memory-card]")].every(
        (c) => c.querySelector("img")?.complete,
      ),
    );
    await page.screenshot({ path: "/tmp/memories-390.png" });
    const strip = await page.$eval("[data-testid=memories]", (e) => e.getBoundingClientRect().width);
    expect(strip).toBeLessThanOrEqual(390);
    await page.click("[data-testid=memories-dismiss]");
    await page.waitForSelector("[data-testid=memories]", { state: "detached" });
    // Unlocking again (a reload locks the vault) leaves it hidden: remembered for today.
    await page.reload();
    await page.fill("#ul-password", PASSWORD);
    await page.click("form button[type=submit]");
    await page.waitForSelector("main.content[aria-busy=false]");
    await tileNames(page, SEED.length);
    expect(await page.$("[data-testid=memories]")).toBeNull();
    await page.context().close();
  }, 240_000);

  it("search reads dates: summer 2023, 14 July, 2021-07-04, with counts and the range understood", async () => {
    const page = await open(1280, 860);
    await page.evaluate(() => {
      window.location.hash = "#/search";
    });
    const cases: [string, string[], string][] = [
      ["summer 2023", namesWhere((d) => d >= "2023-06-01" && d <= "2023-08-31"), "Showing summer 2023"],
      ["14 July", namesWhere((d) => d.slice(5) === "07-14"), "Showing 14 July, any year"],
      ["2021-07-04", namesWhere((d) => d === "2021-07-04"), "Showing 4 July 2021"],
      ["summer-a 2023", ["summer-a.jpg"], "Showing 2023"],
    ];
    for (const [query, expected, range] of cases) {
      await page.fill("#search-q", query);
      const count = `${expected.length} result${expected.length === 1 ? "" : "s"}`;
      await page.waitForFunction(
        (c) => document.querySelector("[data-testid=search-count]")?.textContent === c,
        count,
      );
      expect(await page.textContent("[data-testid=search-range]")).toContain(range);
      expect(await tileNames(page, expected.length), query).toEqual(expected);
    }
    // The grid groups results by month, newest first.
    await page.fill("#search-q", "14 July");
    await page.waitForFunction(() => document.querySelectorAll("main.content .tile").length >= 2);
    const order = await page.$$eval("main.content .tile", (els) =>
      els.map((e) => e.getAttribute("aria-label")),
    );
    expect(order[0]).toContain("bastille-2021");
    await page.context().close();
    expect(problems).toEqual([]);
  }, 240_000);
});
