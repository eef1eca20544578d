import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ByteSource, blobByteSource, parseIsoDate, videoCreationDate } from "./video-date.js";

const run = promisify(execFile);

/** A one-second 64×64 clip made by ffmpeg with extra output options. */
async function clip(dir: string, name: string, options: string[]): Promise<Uint8Array> {
  const path = join(dir, name);
  await run("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    ...["-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=10"],
    ...options,
    path,
  ]);
  return new Uint8Array(await readFile(path));
}

/** The bytes as a ByteSource that records what was read. */
function counted(bytes: Uint8Array): { source: ByteSource; reads: number[] } {
  const reads: number[] = [];
  return {
    reads,
    source: {
      size: bytes.length,
      read: async (offset, length) => {
        reads.push(length);
        return bytes.slice(offset, offset + length);
      },
    },
  };
}

const CREATED = ["-metadata", "creation_time=2021-07-04T10:30:00Z"];

describe("videoCreationDate", { timeout: 60_000 }, () => {
  let dir: string;
  const files: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "umbra-video-date-"));
    const made = await Promise.all([
      clip(dir, "end.mp4", CREATED),
      clip(dir, "fast.mp4", [...CREATED, "-movflags", "+faststart"]),
      clip(dir, "apple.mov", [
        ...["-metadata", "com.apple.quicktime.creationdate=2021-07-04T12:30:00+0200"],
        ...["-movflags", "use_metadata_tags"],
      ]),
      clip(dir, "day.mov", ["-metadata", "date=2021-07-04T12:30:00+0200"]),
      clip(dir, "plain.mp4", []),
      clip(dir, "old.mp4", ["-metadata", "creation_time=1970-01-02T00:00:00Z"]),
      clip(dir, "out.webm", [...CREATED, "-c:v", "libvpx", "-b:v", "100k"]),
      clip(dir, "plain.webm", ["-c:v", "libvpx", "-b:v", "100k"]),
    ]);
    for (const [i, name] of [
      "end.mp4",
      "fast.mp4",
      "apple.mov",
      "day.mov",
      "plain.mp4",
      "old.mp4",
      "out.webm",
      "plain.webm",
    ].entries())
      files[name] = made[i]!;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads mvhd creation_time with the moov box at the end", async () => {
    expect(await videoCreationDate(counted(files["end.mp4"]!).source)).toEqual({
      takenAt: "2021-07-04T10:30:00.000Z",
    });
  });

  it("reads mvhd creation_time with the moov box first (faststart)", async () => {
    expect(await videoCreationDate(counted(files["fast.mp4"]!).source)).toEqual({
      takenAt: "2021-07-04T10:30:00.000Z",
    });
  });

  it("reads Apple's creationdate and keeps its offset", async () => {
    expect(await videoCreationDate(counted(files["apple.mov"]!).source)).toEqual({
      takenAt: "2021-07-04T12:30:00+02:00",
      timeZone: "Etc/GMT-2",
    });
  });

  it("reads a QuickTime ©day atom", async () => {
    expect(await videoCreationDate(counted(files["day.mov"]!).source)).toEqual({
      takenAt: "2021-07-04T12:30:00+02:00",
      timeZone: "Etc/GMT-2",
    });
  });

  it("reads Matroska/WebM DateUTC", async () => {
    expect(await videoCreationDate(counted(files["out.webm"]!).source)).toEqual({
      takenAt: "2021-07-04T10:30:00.000Z",
    });
  });

  it("works on a Blob", async () => {
    const blob = new Blob([new Uint8Array(files["end.mp4"]!)]);
    expect((await videoCreationDate(blobByteSource(blob)))?.takenAt).toBe("2021-07-04T10:30:00.000Z");
  });

  it("gives undefined without a date, or with one before 1990 or in the future", async () => {
    expect(await videoCreationDate(counted(files["plain.mp4"]!).source)).toBeUndefined();
    expect(await videoCreationDate(counted(files["plain.webm"]!).source)).toBeUndefined();
    expect(await videoCreationDate(counted(files["old.mp4"]!).source)).toBeUndefined();
    const before = Date.UTC(2021, 6, 1);
    expect(await videoCreationDate(counted(files["end.mp4"]!).source, before)).toBeUndefined();
  });

  it("reads only box headers and small boxes of a large file with moov at the end", async () => {
    // 64 MiB of mdat in front of the moov box: only headers and the moov's small children are read.
    const end = files["end.mp4"]!;
    const moovAt = findBox(end, "moov");
    const filler = 64 * 1024 * 1024;
    const big = new Uint8Array(end.length + filler);
    big.set(end.subarray(0, moovAt));
    // A `free` box of the filler's size, then the original moov (offsets in it are not needed for the date).
    new DataView(big.buffer).setUint32(moovAt, filler);
    big.set([0x66, 0x72, 0x65, 0x65], moovAt + 4);
    big.set(end.subarray(moovAt), moovAt + filler);
    const { source, reads } = counted(big);
    expect((await videoCreationDate(source))?.takenAt).toBe("2021-07-04T10:30:00.000Z");
    expect(reads.reduce((a, b) => a + b, 0)).toBeLessThan(4096);
  });

  it("never throws on truncated or garbage input", async () => {
    for (const name of Object.keys(files)) {
      const bytes = files[name]!;
      for (const cut of [0, 4, 8, 20, 40, bytes.length >> 1, bytes.length - 1]) {
        const date = await videoCreationDate(counted(bytes.subarray(0, cut)).source);
        if (date) expect(date.takenAt).toMatch(/^2021-07-04T/);
      }
    }
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    };
    for (let i = 0; i < 200; i++) {
      const garbage = Uint8Array.from({ length: 64 + (i % 50) * 10 }, random);
      // Sometimes with a believable first header, so the parser goes further before failing.
      if (i % 2) garbage.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]);
      if (i % 3 === 0) garbage.set([0x1a, 0x45, 0xdf, 0xa3]);
      await expect(videoCreationDate(counted(garbage).source)).resolves.not.toThrow();
    }
    const failing: ByteSource = { size: 1000, read: () => Promise.reject(new Error("gone")) };
    expect(await videoCreationDate(failing)).toBeUndefined();
  });
});

/** An ISO-BMFF box: 32-bit size, four-letter type, payload. */
function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  out.set(
    Array.from(type, (c) => c.charCodeAt(0)),
    4,
  );
  let at = 8;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const bytesOf = (...values: number[]) => Uint8Array.from(values);
const text = (s: string) => new TextEncoder().encode(s);
const u32 = (n: number) => bytesOf(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const sourceOf = (bytes: Uint8Array) => counted(bytes).source;
/** 2021-07-04T10:30:00Z in seconds since 1904-01-01. */
const MAC_SECONDS = Date.UTC(2021, 6, 4, 10, 30) / 1000 + 2_082_844_800;

describe("videoCreationDate on hand-made boxes", () => {
  const ftyp = box("ftyp", text("qt  "), u32(0), text("qt  "));

  it("reads a version 1 mvhd (64-bit times)", async () => {
    const mvhd = box(
      "mvhd",
      bytesOf(1, 0, 0, 0),
      u32(0),
      u32(MAC_SECONDS),
      u32(0),
      u32(MAC_SECONDS),
      u32(1000),
    );
    const file = new Uint8Array([...ftyp, ...box("moov", mvhd)]);
    expect(await videoCreationDate(sourceOf(file))).toEqual({ takenAt: "2021-07-04T10:30:00.000Z" });
  });

  it("reads an iPhone's moov/meta (QuickTime meta, no version and flags) before mvhd", async () => {
    const mvhd = box("mvhd", bytesOf(0, 0, 0, 0), u32(MAC_SECONDS), u32(MAC_SECONDS), u32(600));
    const make = "com.apple.quicktime.make";
    const key = "com.apple.quicktime.creationdate";
    const meta = box(
      "meta",
      box("hdlr", u32(0), u32(0), text("mdta"), u32(0), u32(0), u32(0), bytesOf(0)),
      box(
        "keys",
        u32(0),
        u32(2),
        u32(8 + make.length),
        text(`mdta${make}`),
        u32(8 + key.length),
        text(`mdta${key}`),
      ),
      box(
        "ilst",
        box("\u0000\u0000\u0000\u0001", box("data", u32(1), u32(0), text("Apple"))),
        box("\u0000\u0000\u0000\u0002", box("data", u32(1), u32(0), text("2021-07-04T16:00:00+0530"))),
      ),
    );
    const file = new Uint8Array([...ftyp, ...box("wide"), ...box("moov", mvhd, meta)]);
    // +05:30 is kept in takenAt; no Etc/GMT zone names it, so no timeZone.
    expect(await videoCreationDate(sourceOf(file))).toEqual({ takenAt: "2021-07-04T16:00:00+05:30" });
  });

  it("reads a 64-bit box size (largesize) on the way to moov", async () => {
    const mvhd = box("mvhd", bytesOf(0, 0, 0, 0), u32(MAC_SECONDS), u32(MAC_SECONDS), u32(600));
    const mdat = new Uint8Array([...u32(1), ...text("mdat"), ...u32(0), ...u32(16 + 4), ...u32(0)]);
    const file = new Uint8Array([...ftyp, ...mdat, ...box("moov", mvhd)]);
    expect((await videoCreationDate(sourceOf(file)))?.takenAt).toBe("2021-07-04T10:30:00.000Z");
  });

  it("is not fooled by a file that is not a container", async () => {
    expect(await videoCreationDate(sourceOf(text("just some text, not a video at all")))).toBeUndefined();
    expect(await videoCreationDate(sourceOf(new Uint8Array(0)))).toBeUndefined();
  });
});

describe("parseIsoDate", () => {
  it("reads the forms metadata atoms use", () => {
    expect(parseIsoDate("2021-07-04T12:30:00+0200")).toEqual({
      ms: Date.UTC(2021, 6, 4, 10, 30),
      offset: 120,
    });
    expect(parseIsoDate("2021-07-04T12:30:00-05:30")).toEqual({ ms: Date.UTC(2021, 6, 4, 18), offset: -330 });
    expect(parseIsoDate("2021-07-04T10:30:00Z")).toEqual({ ms: Date.UTC(2021, 6, 4, 10, 30) });
    expect(parseIsoDate("2021-07-04 10:30")).toEqual({ ms: Date.UTC(2021, 6, 4, 10, 30) });
    expect(parseIsoDate("2021-07-04")).toEqual({ ms: Date.UTC(2021, 6, 4, 12) });
    expect(parseIsoDate("2021")).toBeUndefined();
    expect(parseIsoDate("yesterday")).toBeUndefined();
    expect(parseIsoDate("2021-13-04")).toBeUndefined();
  });
});

function findBox(bytes: Uint8Array, type: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 8 <= bytes.length; at += view.getUint32(at)) {
    if (String.fromCharCode(...bytes.subarray(at + 4, at + 8)) === type) return at;
  }
  throw new Error(`no ${type} box`);
}
