// Seeds a library through the SDK in Node: small real JPEG thumbnails (a few distinct ones, reused), tiny
// unique contents (so none is skipped as a duplicate), capture dates spread over years for month headers.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type MediaHooks, UmbraClient, type UploadSource } from "@umbra/client";
import sharp from "sharp";

const DISTINCT_THUMBNAILS = 24;

export async function makeJpeg(size: number, hue: number, quality: number): Promise<Uint8Array> {
  const [r, g, b] = [hue % 256, (hue * 3) % 256, (hue * 7) % 256];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <defs><linearGradient id="g"><stop offset="0" stop-color="rgb(${r},${g},${b})"/>
    <stop offset="1" stop-color="rgb(${b},${r},${g})"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><circle cx="${size / 2}" cy="${size / 2}" r="${size / 4}"
    fill="rgb(${g},${b},${r})"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality }).toBuffer());
}

/**
 * The same pixels with a comment segment naming `index` right after the start marker: every thumbnail's bytes
 * differ, so a browser cache keyed by URL or bytes cannot skip a decode that a real library would need.
 */
export function uniqueJpeg(jpeg: Uint8Array, index: number): Uint8Array {
  const text = new TextEncoder().encode(`umbra bench ${index}`);
  const out = new Uint8Array(jpeg.length + 4 + text.length);
  out.set(jpeg.subarray(0, 2));
  out.set([0xff, 0xfe, 0, text.length + 2], 2);
  out.set(text, 6);
  out.set(jpeg.subarray(2), 6 + text.length);
  return out;
}

function bytesSource(name: string, bytes: Uint8Array, lastModified: number): UploadSource {
  return {
    name,
    size: bytes.length,
    lastModified,
    mime: "image/jpeg",
    localKey: name,
    open: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice());
          controller.close();
        },
      }),
  };
}

export interface SeedResult {
  seconds: number;
  uploaded: number;
}

/** The photo numbers 0…count-1 the account has not got yet (a seeding stopped half-way resumes). */
async function missingIndices(client: UmbraClient, count: number): Promise<number[]> {
  const have = new Set<number>();
  for (const file of await client.library.files()) {
    const match = /^IMG_(\d+)\.jpg$/.exec(file.metadata.name ?? "");
    if (match) have.add(Number(match[1]));
  }
  return Array.from({ length: count }, (_, i) => i).filter((i) => !have.has(i));
}

/**
 * Seeds `count` items into the account, creating it or resuming into it. With UMBRA_BENCH_SEED_PROCS > 1
 * the uploads are split over that many processes (each logs in as its own device): one client process
 * leaves both cores half idle waiting on the server, and a 100,000-item library is long to seed.
 */
export async function seedLibrary(
  serverUrl: string,
  email: string,
  password: string,
  count: number,
): Promise<SeedResult> {
  const began = performance.now();
  const client = new UmbraClient({ serverUrl });
  let missing: number[];
  try {
    await client.signup(email, password, "web-bench-seed");
    missing = Array.from({ length: count }, (_, i) => i);
  } catch {
    await client.login(email, password, "web-bench-seed"); // The account is there: resume.
    missing = await missingIndices(client, count);
    console.log(`  resuming: ${count - missing.length} items already seeded`);
  }
  const procs = Math.max(1, Number(process.env.UMBRA_BENCH_SEED_PROCS ?? 1));
  let uploaded: number;
  if (procs === 1) uploaded = await seedIndices(client, missing);
  else {
    const worker = fileURLToPath(new URL("./seed-worker.ts", import.meta.url));
    const counts = await Promise.all(
      Array.from({ length: procs }, (_, p) => {
        const indices = missing.filter((_, k) => k % procs === p);
        return new Promise<number>((resolve, reject) => {
          const child = fork(worker);
          child.once("message", (m) => resolve((m as { uploaded: number }).uploaded));
          child.once("exit", (code) =>
            code === 0 ? undefined : reject(new Error(`seed worker exited ${code}`)),
          );
          child.send({ serverUrl, email, password, indices });
        });
      }),
    );
    uploaded = counts.reduce((a, b) => a + b, 0);
  }
  return { seconds: (performance.now() - began) / 1000, uploaded };
}

/** Uploads the photos with these numbers through a logged-in client; returns how many were uploaded. */
export async function seedIndices(client: UmbraClient, indices: readonly number[]): Promise<number> {
  const grids = await Promise.all(
    Array.from({ length: DISTINCT_THUMBNAILS }, (_, i) => makeJpeg(256, i * 37 + 11, 80)),
  );
  const content = await makeJpeg(32, 5, 70);
  // About 24 photos a day, newest first from the end of 2025, so a screen shows full rows like a real library.
  const end = Date.UTC(2025, 11, 31, 18);
  const DAY = 86_400_000;
  const takenAt = new Map<string, string>();
  const sources: UploadSource[] = [];
  for (const i of indices) {
    const name = `IMG_${String(i).padStart(6, "0")}.jpg`;
    // A unique tail after the JPEG's end marker keeps every content distinct (no duplicate skipping).
    const bytes = new Uint8Array(content.length + 8);
    bytes.set(content);
    new DataView(bytes.buffer).setFloat64(content.length, i);
    const time = end - Math.floor(i / 24) * DAY - (i % 24) * 600_000;
    takenAt.set(name, new Date(time).toISOString());
    sources.push(bytesSource(name, bytes, time));
  }
  let seeded = 0;
  const hooks: MediaHooks = {
    async extract(source) {
      const index = Number(/\d+/.exec(source.name)?.[0] ?? 0);
      const grid = uniqueJpeg(grids[index % grids.length]!, index);
      return {
        info: { mime: "image/jpeg", takenAt: takenAt.get(source.name), width: 32, height: 32 },
        thumbnails: { grid, preview: grid },
      };
    },
  };
  const summary = await client.upload(sources, hooks, {
    jobs: Number(process.env.UMBRA_BENCH_SEED_JOBS ?? 16),
    onEvent(event) {
      if (event.type !== "uploaded") return;
      seeded++;
      if (seeded % 1000 === 0) console.log(`  seeded ${seeded}/${indices.length} (process ${process.pid})`);
    },
  });
  if (summary.failed.length > 0) {
    throw new Error(`Seeding failed for ${summary.failed.length} items: ${String(summary.failed[0]?.error)}`);
  }
  return summary.uploaded.length;
}
