// Seeds a library through the SDK in Node: small real JPEG thumbnails (a few distinct ones, reused), tiny
// unique contents (so none is skipped as a duplicate), capture dates spread over years for month headers.
import { type MediaHooks, UmbraClient, type UploadSource } from "@umbra/client";
import sharp from "sharp";

const DISTINCT_THUMBNAILS = 24;

async function makeJpeg(size: number, hue: number, quality: number): Promise<Uint8Array> {
  const [r, g, b] = [hue % 256, (hue * 3) % 256, (hue * 7) % 256];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <defs><linearGradient id="g"><stop offset="0" stop-color="rgb(${r},${g},${b})"/>
    <stop offset="1" stop-color="rgb(${b},${r},${g})"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><circle cx="${size / 2}" cy="${size / 2}" r="${size / 4}"
    fill="rgb(${g},${b},${r})"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality }).toBuffer());
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

export async function seedLibrary(
  serverUrl: string,
  email: string,
  password: string,
  count: number,
): Promise<SeedResult> {
  const client = new UmbraClient({ serverUrl });
  await client.signup(email, password, "web-bench-seed");
  const grids = await Promise.all(
    Array.from({ length: DISTINCT_THUMBNAILS }, (_, i) => makeJpeg(256, i * 37 + 11, 80)),
  );
  const content = await makeJpeg(32, 5, 70);
  // About 24 photos a day, newest first from the end of 2025, so a screen shows full rows like a real library.
  const end = Date.UTC(2025, 11, 31, 18);
  const DAY = 86_400_000;
  const takenAt = new Map<string, string>();
  const sources: UploadSource[] = [];
  for (let i = 0; i < count; i++) {
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
      const grid = grids[index % grids.length]!;
      return {
        info: { mime: "image/jpeg", takenAt: takenAt.get(source.name), width: 32, height: 32 },
        thumbnails: { grid, preview: grid },
      };
    },
  };
  const began = performance.now();
  const summary = await client.upload(sources, hooks, {
    jobs: Number(process.env.UMBRA_BENCH_SEED_JOBS ?? 16),
    onEvent(event) {
      if (event.type !== "uploaded") return;
      seeded++;
      if (seeded % 1000 === 0) console.log(`  seeded ${seeded}/${count}`);
    },
  });
  if (summary.failed.length > 0) {
    throw new Error(`Seeding failed for ${summary.failed.length} items: ${String(summary.failed[0]?.error)}`);
  }
  return { seconds: (performance.now() - began) / 1000, uploaded: summary.uploaded.length };
}
