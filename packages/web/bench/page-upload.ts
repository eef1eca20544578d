// The page's upload in the web bench: noise photos, the timed upload through the file input, and CPU profiles;
// a large video against a plain fetch upload of the same bytes from the same page to the same server.
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
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
  profileName = "page-upload",
): Promise<{ seconds: number; mbps: number; failed: string[] }> {
  const finished = () =>
    page.evaluate(
      () =>
        document.querySelectorAll(
          "[data-testid=uploads] li:is([data-state=done],[data-state=failed],[data-state=skipped])",
        ).length,
    );
  // Earlier batches stay listed: wait for this batch's files on top of them.
  const before = await finished();
  const profile = await startProfile(page, profileDir);
  const began = performance.now();
  await page.setInputFiles("[data-testid=file-input]", files);
  // Every file finished one way or another: a failure is reported instead of waiting forever.
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll(
        "[data-testid=uploads] li:is([data-state=done],[data-state=failed],[data-state=skipped])",
      ).length >= n,
    before + files.length,
    { timeout: 0, polling: 100 },
  );
  const seconds = (performance.now() - began) / 1000;
  await profile.stop(profileName);
  const failed = await page.evaluate(() =>
    [...document.querySelectorAll("[data-testid=uploads] li:not([data-state=done])")].map(
      (li) => li.textContent?.trim().replace(/\s+/g, " ") ?? "",
    ),
  );
  return { seconds, mbps: bytes / 1e6 / seconds, failed };
}

/** A video-named file of random bytes (the app's poster frame fails fast on it, as on a codec it cannot play). */
export function makeVideo(dir: string, mib: number): { file: string; bytes: number } {
  const file = path.join(dir, "large-video.mp4");
  const fd = openSync(file, "w");
  const block = randomBytes(8 * 1024 * 1024);
  try {
    for (let i = 0; i < mib / 8; i++) {
      block.writeUInt32BE(i, 0);
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
  return { file, bytes: (mib / 8) * block.length };
}

/**
 * The baseline of the video upload: the same file, picked through a file input the bench adds to the page,
 * sent by one plain `fetch` as a tus creation-with-upload (the bytes as they are, one request) to the same
 * server, then deleted. `authorization` is the page's own session header.
 */
export async function timePlainUpload(
  page: Page,
  file: string,
  bytes: number,
  authorization: string,
): Promise<{ seconds: number; mbps: number }> {
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.type = "file";
    input.id = "umbra-bench-plain-input";
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles("#umbra-bench-plain-input", file);
  const ms = await page.evaluate(async (auth) => {
    const input = document.querySelector<HTMLInputElement>("#umbra-bench-plain-input")!;
    const picked = input.files![0]!;
    const began = performance.now();
    const created = await fetch("/api/uploads", {
      method: "POST",
      headers: {
        authorization: auth,
        "tus-resumable": "1.0.0",
        "upload-length": String(picked.size),
        "content-type": "application/offset+octet-stream",
      },
      body: picked,
    });
    const ms = performance.now() - began;
    if (created.status !== 201 || created.headers.get("upload-offset") !== String(picked.size))
      throw new Error(`plain upload: ${created.status} at ${created.headers.get("upload-offset")}`);
    await fetch(created.headers.get("location")!, {
      method: "DELETE",
      headers: { authorization: auth, "tus-resumable": "1.0.0" },
    });
    input.remove();
    return ms;
  }, authorization);
  return { seconds: ms / 1000, mbps: bytes / 1e6 / (ms / 1000) };
}

/** The page's session header, from the next API request it makes. */
export function sessionHeader(page: Page): Promise<string> {
  return new Promise((resolve) => {
    const seen = (request: { url(): string; headers(): Record<string, string> }) => {
      const header = request.headers().authorization;
      if (request.url().includes("/api/") && header) {
        page.off("request", seen);
        resolve(header);
      }
    };
    page.on("request", seen);
  });
}
