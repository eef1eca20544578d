// What the bench plays, on one server: each video uploaded encrypted through the SDK into the bench account (as
// the CLI would), and the same plaintext bytes served by the same server process, with the same Range code, as
// the unencrypted baseline. The server serves stored blobs with Range but its static web files without, so the
// baseline is a file of a second account whose stored blob is swapped for the plaintext (padded with an MP4
// `free` box to the recorded length) and reached through a public link's content route, which needs no token.
import { execFile } from "node:child_process";
import {
  closeSync,
  createReadStream,
  createWriteStream,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
} from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type MediaHooks, UmbraClient, type UploadSource } from "@umbra/client";
import sharp from "sharp";
import type { VideoFixture } from "./video-fixtures.js";

export const BENCH_EMAIL = "video-bench@example.com";
export const BENCH_PASSWORD = "bench orbit lantern 7 marmalade quietly";
const CARRIER_EMAIL = "video-bench-plain@example.com";

export interface BenchVideo {
  fixture: VideoFixture;
  /** File name shown on the encrypted item's tile in the web app. */
  name: string;
  fileId: string;
  /** Ciphertext bytes stored for the encrypted item. */
  storedBytes: number;
  /** Same-origin path of the plaintext bytes (Range capable), relative to the server root. */
  plainPath: string;
}

const FFMPEG = process.env.UMBRA_FFMPEG ?? "/usr/bin/ffmpeg";

/** The first frame as a JPEG (the CLI makes its poster the same way). */
function posterFrame(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      FFMPEG,
      [
        "-hide_banner",
        "-loglevel",
        "error",
        "-i",
        file,
        "-frames:v",
        "1",
        "-f",
        "image2",
        "-c:v",
        "png",
        "-",
      ],
      { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

function videoHooks(fixture: VideoFixture): MediaHooks {
  return {
    async extract() {
      const frame = await posterFrame(fixture.path);
      const grid = await sharp(frame).resize(256, 256, { fit: "cover" }).jpeg({ quality: 75 }).toBuffer();
      const preview = await sharp(frame)
        .resize(1440, 1440, { fit: "inside" })
        .webp({ quality: 80 })
        .toBuffer();
      return {
        info: { mime: "video/mp4", durationSec: fixture.durationSec, width: 1920, height: 1080 },
        thumbnails: { grid: new Uint8Array(grid), preview: new Uint8Array(preview) },
      };
    },
  };
}

function fileSource(name: string, file: string): UploadSource {
  const { size, mtimeMs } = statSync(file);
  return {
    name,
    size,
    lastModified: mtimeMs,
    mime: "video/mp4",
    localKey: `${file}:${name}`,
    open: () => Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
  };
}

async function account(serverUrl: string, email: string): Promise<UmbraClient> {
  const client = new UmbraClient({ serverUrl });
  await client.signup(email, BENCH_PASSWORD, "video-bench");
  return client;
}

async function uploadOne(
  client: UmbraClient,
  fixture: VideoFixture,
  name: string,
  segmentSize: number | undefined,
): Promise<string> {
  const summary = await client.upload([fileSource(name, fixture.path)], videoHooks(fixture), {
    ...(segmentSize ? { segmentSize } : {}),
  });
  const uploaded = summary.uploaded[0];
  if (!uploaded) throw new Error(`upload of ${name} failed: ${String(summary.failed[0]?.error)}`);
  return uploaded.fileId;
}

/** Every stored content blob under the data folder, by path. */
function contentBlobs(dataDir: string): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".content")) found.add(full);
    }
  };
  walk(dataDir);
  return found;
}

/** An MP4 `free` box of exactly `size` bytes (players skip it). */
function freeBox(size: number): Buffer {
  if (size < 8) throw new Error(`no room for a free box (${size} bytes)`);
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write("free", 4, "latin1");
  return box;
}

/** Replaces the stored blob by the plaintext plus padding, same length, written aside and renamed in. */
async function swapInPlaintext(blob: string, fixture: VideoFixture): Promise<void> {
  const padding = statSync(blob).size - fixture.size;
  const temp = `${blob}.plain`;
  const out = createWriteStream(temp);
  await pipeline(createReadStream(fixture.path), out, { end: false });
  await new Promise<void>((resolve, reject) =>
    out.end(freeBox(padding), () => resolve()).on("error", reject),
  );
  renameSync(temp, blob);
}

function head(file: string, bytes: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    readSync(fd, buffer, 0, bytes, 0);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** The blob now starts with the fixture's bytes: the swap took. */
function assertPlain(blob: string, fixture: VideoFixture): void {
  if (!head(blob, 4096).equals(head(fixture.path, 4096)))
    throw new Error(`plaintext swap of ${blob} did not take`);
}

/**
 * Uploads every fixture encrypted into the bench account, and its unencrypted twin into a second account
 * whose public link serves it. `dataDir` is the running server's data folder.
 */
export async function prepareLibrary(
  serverUrl: string,
  dataDir: string,
  fixtures: readonly VideoFixture[],
  segmentSize: number | undefined,
  log: (line: string) => void,
): Promise<BenchVideo[]> {
  const bench = await account(serverUrl, BENCH_EMAIL);
  const carrier = await account(serverUrl, CARRIER_EMAIL);
  const videos: BenchVideo[] = [];
  for (const fixture of fixtures) {
    const name = `${fixture.name}.mp4`;
    const began = performance.now();
    const before = contentBlobs(dataDir);
    const fileId = await uploadOne(bench, fixture, name, segmentSize);
    const [encryptedBlob] = [...contentBlobs(dataDir)].filter((b) => !before.has(b));
    const plainId = await uploadOne(carrier, fixture, `plain-${name}`, segmentSize);
    const [plainBlob] = [...contentBlobs(dataDir)].filter((b) => !before.has(b) && b !== encryptedBlob);
    if (!encryptedBlob || !plainBlob) throw new Error(`could not find the stored blobs of ${name}`);
    await swapInPlaintext(plainBlob, fixture);
    assertPlain(plainBlob, fixture);
    const link = await carrier.links.create({ fileId: plainId }, { allowDownload: true });
    const storedBytes = statSync(encryptedBlob).size;
    log(
      `  uploaded ${name}: ${(fixture.size / 1e6).toFixed(1)} MB, stored ${(storedBytes / 1e6).toFixed(1)} MB encrypted, twice, in ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
    videos.push({
      fixture,
      name,
      fileId,
      storedBytes,
      plainPath: `/api/public/links/${link.linkId}/files/${plainId}/content`,
    });
  }
  return videos;
}
