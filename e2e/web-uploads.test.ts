// Uploads through the page beyond the main walk (web.test.ts): pause and resume, drop, folders, HEIC.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { UmbraClient } from "@umbra/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  artifactsDir,
  buildWeb,
  launchChromium,
  type RunningServer,
  repoRoot,
  serverFiles,
  startServer,
} from "./harness.js";
import { logInInBrowser, makeJpeg, sdkAccount, strictContext } from "./sharing-helpers.js";

const EMAIL = "uma.uploads@example.com";
const PASSWORD = "upload meadow lantern 5 juniper";
const shotsDir = path.join(artifactsDir, "uploads");

let webDir: string;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let client: UmbraClient;
let photo: Buffer;
const problems: string[] = [];
let shot = 0;

async function snap(p: Page, name: string): Promise<void> {
  shot++;
  await p.screenshot({ path: path.join(shotsDir, `${String(shot).padStart(2, "0")}-${name}.png`) });
}

async function waitForDone(name: string): Promise<void> {
  await page.waitForSelector(`[data-testid=uploads] li[data-state=done]:has-text('${name}')`, {
    timeout: 60_000,
  });
}

beforeAll(async () => {
  rmSync(shotsDir, { recursive: true, force: true });
  mkdirSync(shotsDir, { recursive: true });
  webDir = mkdtempSync(path.join(os.tmpdir(), "umbra-web-uploads-"));
  buildWeb(webDir);
  server = await startServer({ webDir });
  photo = await makeJpeg(800, 600, "#2e86c1");
  client = await sdkAccount(server.url, EMAIL, PASSWORD);
  browser = await launchChromium();
  context = await strictContext(browser, problems);
  page = await context.newPage();
  await logInInBrowser(page, server.url, EMAIL, PASSWORD);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe("web app uploads, in Chromium against a real server", { timeout: 180_000 }, () => {
  it("pauses and resumes a slow upload; the resumed file downloads identical", async () => {
    const big = path.join(shotsDir, "long-drive.mp4");
    execFileSync("/usr/bin/ffmpeg", [
      ...["-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=duration=4:size=640x360:rate=25"],
      ...["-pix_fmt", "yuv420p", "-c:v", "libx264", "-b:v", "16M", "-minrate", "16M", "-maxrate", "16M"],
      ...["-bufsize", "4M", "-movflags", "+faststart", big],
    ]);
    const original = readFileSync(big);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    // About 1 MB/s up, so the upload is still running when it is paused.
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1_000_000,
    });
    await page.goto(`${server.url}/#/`);
    await page.setInputFiles("[data-testid=file-input]", [big]);
    const row = page.locator("[data-testid=uploads] li", { hasText: "long-drive.mp4" });
    await page.waitForFunction(() => {
      const li = [...document.querySelectorAll("[data-testid=uploads] li")].find((l) =>
        l.textContent?.includes("long-drive.mp4"),
      );
      const bar = li?.querySelector("progress");
      return (
        li?.getAttribute("data-state") === "uploading" && bar !== null && bar !== undefined && bar.value > 0
      );
    });
    await row.locator("button:has-text('Pause')").click();
    await page.waitForSelector("[data-testid=uploads] li[data-state=paused]");
    await snap(page, "upload-paused");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await row.locator("button:has-text('Resume')").click();
    await page.waitForSelector("[data-testid=uploads] li[data-state=done]:has-text('long-drive.mp4')", {
      timeout: 120_000,
    });
    await page.click('.tile[aria-label^="long-drive.mp4"]');
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("[data-testid=viewer] button:has-text('Download')"),
    ]);
    const saved = path.join(shotsDir, "downloaded.mp4");
    await download.saveAs(saved);
    expect(Buffer.compare(readFileSync(saved), original)).toBe(0);
    await page.keyboard.press("Escape");
  });

  it("uploads a photo dropped anywhere on the page", async () => {
    const name = "dropped-lighthouse.jpg";
    // The photo with a few extra bytes after its end marker: a new file, not a duplicate to skip.
    const bytes = Buffer.concat([photo, Buffer.from("dropped")]);
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector("[data-testid=grid] .tile img");
    await page.evaluate(
      ({ fileName, base64 }) => {
        const data = new DataTransfer();
        const content = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        data.items.add(new File([content], fileName, { type: "image/jpeg", lastModified: Date.now() }));
        const target = document.querySelector("[data-testid=grid]") ?? document.body;
        for (const type of ["dragenter", "dragover", "drop"]) {
          target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
        }
      },
      { fileName: name, base64: bytes.toString("base64") },
    );
    await waitForDone(name);
    await page.waitForSelector(`.tile[aria-label^="${name}"] img`);
    await snap(page, "dropped-upload");
  });

  it("uploads a picked folder, photos only, with its subfolders", async () => {
    const dir = path.join(os.tmpdir(), `umbra-e2e-folder-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, "Trip", "Day 2"), { recursive: true });
    // New bytes after the end marker: not duplicates of what is already uploaded.
    const base = photo;
    writeFileSync(path.join(dir, "Trip", "folder-a.jpg"), Buffer.concat([base, Buffer.from("folder a")]));
    writeFileSync(
      path.join(dir, "Trip", "Day 2", "folder-b.jpg"),
      Buffer.concat([base, Buffer.from("folder b")]),
    );
    writeFileSync(path.join(dir, "Trip", "notes.txt"), "not a photo");
    await page.setInputFiles("[data-testid=folder-input]", path.join(dir, "Trip"));
    for (const name of ["folder-a.jpg", "folder-b.jpg"]) {
      await waitForDone(name);
      await page.waitForSelector(`.tile[aria-label^="${name}"] img`);
    }
    await page.waitForSelector("[data-testid=toast]:has-text('1 file(s) skipped')");
    await snap(page, "folder-upload");
    rmSync(dir, { recursive: true, force: true });
  });

  it("thumbnails a HEIC with libheif and keeps one nothing can decode as-is, with a placeholder", async () => {
    // A real HEVC HEIC (320×240, orange with a blue circle; made with `heif-enc -q 50` from libheif-examples).
    const real = {
      name: "IMG_0100.HEIC",
      bytes: readFileSync(path.join(repoRoot, "e2e/samples/orange-circle.heic")),
    };
    // An ISO-BMFF 'ftypheic' header and opaque bytes: neither Chromium nor libheif can decode it.
    const opaque = {
      name: "IMG_0042.HEIC",
      bytes: Buffer.concat([
        Buffer.from("000000186674797068656963000000006d696631", "hex"),
        randomBytes(4000),
      ]),
    };
    await page.evaluate(
      (files) => {
        const data = new DataTransfer();
        for (const { name, base64 } of files) {
          const content = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          data.items.add(new File([content], name, { type: "", lastModified: Date.now() }));
        }
        for (const type of ["dragenter", "dragover", "drop"]) {
          document.body.dispatchEvent(
            new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
          );
        }
      },
      [real, opaque].map((f) => ({ name: f.name, base64: f.bytes.toString("base64") })),
    );
    const tileSize = async (name: string) => {
      await waitForDone(name);
      const img = `.tile[aria-label^="${name}"] img`;
      await page.waitForFunction(
        (sel) => (document.querySelector(sel) as HTMLImageElement | null)?.naturalWidth,
        img,
      );
      return page.$eval(img, (el) => [
        (el as HTMLImageElement).naturalWidth,
        (el as HTMLImageElement).naturalHeight,
      ]);
    };
    // The real photo's thumbnail keeps its 4:3 shape; the placeholder is square.
    expect(await tileSize(real.name)).toEqual([256, 192]);
    expect(await tileSize(opaque.name)).toEqual([256, 256]);
    // Every tile on screen shows its image: none broken (an object URL that died with a worker did that).
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".tile img")].every((i) => (i as HTMLImageElement).naturalWidth > 0),
    );
    await snap(page, "heic-thumbnails");
    await client.library.sync();
    const files = await client.library.files();
    for (const { name, bytes } of [real, opaque]) {
      const heic = files.find((f) => f.metadata.name === name);
      expect(heic?.metadata.mime).toBe("image/heic");
      const { stream } = await client.download(heic!.id);
      expect(Buffer.from(await new Response(stream).arrayBuffer()).equals(bytes)).toBe(true);
    }
    expect(files.find((f) => f.metadata.name === real.name)?.metadata).toMatchObject({
      width: 320,
      height: 240,
    });
  });

  it("leaves none of these names or the password in the server's database, blobs or log", async () => {
    const secrets = [
      "long-drive",
      "dropped-lighthouse",
      "folder-a",
      "folder-b",
      "Day 2",
      "IMG_0100",
      "IMG_0042",
      PASSWORD,
    ];
    const found: string[] = [];
    for (const { file, bytes } of serverFiles(server.dataDir)) {
      for (const secret of secrets) {
        if (bytes.includes(Buffer.from(secret, "utf8")) || bytes.includes(Buffer.from(secret, "utf16le"))) {
          found.push(`${secret} in ${path.relative(server.dataDir, file)}`);
        }
      }
    }
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });
});
