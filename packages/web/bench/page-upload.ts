// The page's upload in the web bench: noise photos, the timed upload through the file input, and CPU profiles.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import sharp from "sharp";

/** Noise photos (~a few MB each, real JPEGs), each made unique by random bytes after the end marker. */
export async function makePhotos(dir: string, totalMb: number): Promise<{ files: string[]; bytes: number }> {
  const width = 2400;
  const height = 1600;
  const raw = randomBytes(width * height * 3);
  const base = await sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
  const files: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < totalMb * 1e6; i++) {
    const file = path.join(dir, `photo-${String(i).padStart(4, "0")}.jpg`);
    const data = Buffer.concat([base, randomBytes(32)]);
    writeFileSync(file, data);
    files.push(file);
    bytes += data.length;
  }
  return { files, bytes };
}

/** With a directory, a V8 CPU profile of the page's main thread from now until `stop` (written there). */
export async function startProfile(
  page: Page,
  dir: string | undefined,
): Promise<{ stop: (name: string) => Promise<void> }> {
  if (!dir) return { stop: async () => undefined };
  const session = await page.context().newCDPSession(page);
  await session.send("Profiler.enable");
  await session.send("Profiler.start");
  return {
    async stop(name) {
      const { profile } = await session.send("Profiler.stop");
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      await session.detach();
    },
  };
}

export async function timeUpload(
  page: Page,
  files: string[],
  bytes: number,
  profileDir: string | undefined,
): Promise<{ seconds: number; mbps: number; failed: string[] }> {
  const profile = await startProfile(page, profileDir);
  const began = performance.now();
  await page.setInputFiles("[data-testid=file-input]", files);
  // Every file finished one way or another: a failure is reported instead of waiting forever.
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll(
        "[data-testid=uploads] li:is([data-state=done],[data-state=failed],[data-state=skipped])",
      ).length >= n,
    files.length,
    { timeout: 0, polling: 100 },
  );
  const seconds = (performance.now() - began) / 1000;
  await profile.stop("page-upload");
  const failed = await page.evaluate(() =>
    [...document.querySelectorAll("[data-testid=uploads] li:not([data-state=done])")].map(
      (li) => li.textContent?.trim().replace(/\s+/g, " ") ?? "",
    ),
  );
  return { seconds, mbps: bytes / 1e6 / seconds, failed };
}
