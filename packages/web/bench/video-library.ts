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
import { parseStreamHeader } from "@umbra/crypto/stream";
import sharp from "sharp";
import type { VideoFixture } from "./video-fixtures.js";

export const BENCH_PASSWORD = "bench orbit lantern 7 marmalade quietly";
const CARRIER_EMAIL = "video-bench-plain@example.com";

/** One encrypted upload of a fixture, at one segment size. */
export interface EncryptedCopy {
  /** "64 KiB" etc., or "client's choice (N KiB)". */
  segmentLabel: string;
  /** The account holding it: one per segment size, as an account skips a second upload of the same bytes. */
  email: string;
  /** File name shown on the item's tile in the web app. */
  name: string;
  fileId: string;
  /** Ciphertext bytes stored. */
  storedBytes: number;
}

export interface BenchVideo {
  fixture: VideoFixture;
  encrypted: EncryptedCopy[];
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

/** The segment size a stored blob was written with: its stream header comes first (SPEC §6). */
function segmentLabelOf(blob: string, forced: number | undefined): string {
  if (forced) return `${forced / 1024} KiB`;
  return `client's choice, ${parseStreamHeader(head(blob, 64)).segmentSize / 1024} KiB`;
}

/**
 * Uploads every fixture encrypted into the bench account once per segment size (undefined: the client's own
 * choice), and its unencrypted twin into a second account whose public link serves it. `dataDir` is the
 * running server's data folder.
 */
export async function prepareLibrary(
  serverUrl: string,
  dataDir: string,
  fixtures: readonly VideoFixture[],
  segmentSizes: readonly (number | undefined)[],
  log: (line: string) => void,
): Promise<BenchVideo[]> {
  const carrier = await account(serverUrl, CARRIER_EMAIL);
  const accounts = await Promise.all(
    segmentSizes.map(async (size) => {
      const email = `video-bench${size ? `-${size / 1024}k` : ""}@example.com`;
      return { email, client: await account(serverUrl, email) };
    }),
  );
  const videos: BenchVideo[] = [];
  for (const fixture of fixtures) {
    const encrypted: EncryptedCopy[] = [];
    for (const [i, segmentSize] of segmentSizes.entries()) {
      const { email, client } = accounts[i]!;
      const name = `${fixture.name}${segmentSize ? `-${segmentSize / 1024}k` : ""}.mp4`;
      const began = performance.now();
      const before = contentBlobs(dataDir);
      const fileId = await uploadOne(client, fixture, name, segmentSize);
      const [blob] = [...contentBlobs(dataDir)].filter((b) => !before.has(b));
      if (!blob) throw new Error(`could not find the stored blob of ${name}`);
      const storedBytes = statSync(blob).size;
      const segmentLabel = segmentLabelOf(blob, segmentSize);
      log(
        `  uploaded ${name} (${segmentLabel} segments): ${(fixture.size / 1e6).toFixed(1)} MB, stored ${(storedBytes / 1e6).toFixed(1)} MB, in ${((performance.now() - began) / 1000).toFixed(1)} s`,
      );
      encrypted.push({ segmentLabel, email, name, fileId, storedBytes });
    }
    const before = contentBlobs(dataDir);
    const plainId = await uploadOne(carrier, fixture, `plain-${fixture.name}.mp4`, undefined);
    const [plainBlob] = [...contentBlobs(dataDir)].filter((b) => !before.has(b));
    if (!plainBlob) throw new Error(`could not find the stored blob of the plain ${fixture.name}`);
    await swapInPlaintext(plainBlob, fixture);
    assertPlain(plainBlob, fixture);
    const link = await carrier.links.create({ fileId: plainId }, { allowDownload: true });
    videos.push({
      fixture,
      encrypted,
      plainPath: `/api/public/links/${link.linkId}/files/${plainId}/content`,
    });
  }
  return videos;
}
