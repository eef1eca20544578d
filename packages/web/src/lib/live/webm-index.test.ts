import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  clusterAt,
  compactIndex,
  parseMediaIndex,
  WebmIndexer,
  WebmParseError,
  webmMseType,
} from "./webm-index.js";

const FFMPEG = "/usr/bin/ffmpeg";
const FFPROBE = "/usr/bin/ffprobe";
const dir = mkdtempSync(path.join(os.tmpdir(), "umbra-webm-index-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Feeds `bytes` in pieces of `size` bytes, as a MediaRecorder's chunks would arrive. */
function indexOf(bytes: Uint8Array, size = bytes.length) {
  const indexer = new WebmIndexer();
  for (let at = 0; at < bytes.length; at += size) indexer.push(bytes.subarray(at, at + size));
  return indexer.index();
}

/** A 4 s VP8 + Opus WebM with a keyframe every second, as ffmpeg writes it (to a pipe when `live`). */
function ffmpegWebm(name: string, live: boolean): Uint8Array {
  const args = [
    ...["-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=4:size=160x120:rate=15"],
    ...["-f", "lavfi", "-i", "sine=duration=4", "-c:v", "libvpx", "-g", "15", "-c:a", "libopus"],
    ...["-f", "webm"],
  ];
  const file = path.join(dir, name);
  if (live) writeFileSync(file, execFileSync(FFMPEG, [...args, "-live", "1", "pipe:1"]));
  else execFileSync(FFMPEG, [...args, file]);
  return new Uint8Array(readFileSync(file));
}

/** ffprobe's video keyframes of a file: their times in ms. */
function keyframesMs(file: string): number[] {
  const csv = execFileSync(FFPROBE, [
    ...["-v", "error", "-select_streams", "v", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0"],
    file,
  ]).toString();
  return csv
    .trim()
    .split("\n")
    .map((line) => line.split(","))
    .filter(([, flags]) => flags?.startsWith("K"))
    .map(([t]) => Math.round(Number(t) * 1000));
}

const CLUSTER_MAGIC = [0x1f, 0x43, 0xb6, 0x75];

describe("WebmIndexer on files ffmpeg wrote", () => {
  for (const live of [false, true]) {
    it(`finds every keyframe cluster and the init segment (${live ? "live, to a pipe" : "seekable file"})`, () => {
      const name = live ? "live.webm" : "file.webm";
      const bytes = ffmpegWebm(name, live);
      const index = indexOf(bytes);
      expect(index.clusters.map(([ms]) => ms)).toEqual(keyframesMs(path.join(dir, name)));
      expect(index.clusters.length).toBeGreaterThanOrEqual(4);
      expect(index.durationMs).toBeGreaterThan(3800);
      expect(index.durationMs).toBeLessThanOrEqual(4100); // Opus frames run a little past the video
      for (const [, offset] of index.clusters)
        expect([...bytes.subarray(offset, offset + 4)]).toEqual(CLUSTER_MAGIC);
      expect(index.initEnd).toBe(index.clusters[0]![1]);
      const indexer = new WebmIndexer();
      indexer.push(bytes);
      expect(indexer.codecs).toEqual(["V_VP8", "A_OPUS"]);
      expect(webmMseType(indexer.codecs)).toBe('video/webm; codecs="vp8,opus"');
      // Chunking changes nothing, down to one byte at a time.
      for (const size of [1, 7, 4096]) expect(indexOf(bytes, size)).toEqual(index);
    });
  }

  it("the init segment followed by the bytes from an indexed cluster is a file that starts at that cluster's time", () => {
    const bytes = ffmpegWebm("splice-source.webm", true);
    const index = indexOf(bytes);
    const [ms, offset] = clusterAt(index, 2500)!;
    expect(ms).toBe(keyframesMs(path.join(dir, "splice-source.webm")).findLast((t) => t <= 2500));
    expect(ms).toBeGreaterThanOrEqual(2000);
    const spliced = path.join(dir, "spliced.webm");
    writeFileSync(spliced, Buffer.concat([bytes.subarray(0, index.initEnd), bytes.subarray(offset)]));
    // ffprobe shifts the spliced file's times by Opus's few ms of pre-skip.
    expect(Math.abs(keyframesMs(spliced)[0]! - ms)).toBeLessThan(20);
  });
});

/** EBML bytes for hand-built files: an element with a known size, or the unknown size MediaRecorder writes. */
function el(id: number[], body: number[] | "unknown-size"): number[] {
  if (body === "unknown-size") return [...id, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  if (body.length > 0x3ffe) throw new Error("test element too large");
  return [...id, 0x40 | (body.length >> 8), body.length & 0xff, ...body];
}
const uint = (id: number[], v: number) => el(id, [v >> 8, v & 0xff]);
const block = (track: number, rel: number, key: boolean, payload = 20) =>
  el([0xa3], [0x80 | track, (rel >> 8) & 0xff, rel & 0xff, key ? 0x80 : 0, ...new Array(payload).fill(0x55)]);

describe("WebmIndexer on a MediaRecorder-shaped file (unknown-size Segment and Clusters)", () => {
  const header = el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x82], [0x77, 0x65, 0x62, 0x6d])); // DocType "webm"
  const info = el([0x15, 0x49, 0xa9, 0x66], [...uint([0x2a, 0xd7, 0xb1], 1000) /* 1 µs ticks */]);
  const tracks = el(
    [0x16, 0x54, 0xae, 0x6b],
    [
      ...el([0xae], [...uint([0xd7], 1), ...uint([0x83], 2)]), // track 1: audio
      ...el([0xae], [...uint([0xd7], 2), ...uint([0x83], 1)]), // track 2: video
    ],
  );
  const cluster = (timecode: number, blocks: number[][]) => [
    ...el([0x1f, 0x43, 0xb6, 0x75], "unknown-size"),
    ...el([0xe7], [(timecode >> 16) & 0xff, (timecode >> 8) & 0xff, timecode & 0xff]),
    ...blocks.flat(),
  ];
  const init = [...header, ...el([0x18, 0x53, 0x80, 0x67], "unknown-size"), ...info, ...tracks];
  // Ticks are µs here: cluster timecodes 0, 1 s, 2 s; relative block times up to 30 ms.
  const clusters = [
    cluster(0, [block(1, 0, true), block(2, 0, true), block(2, 30_000 >> 2, false)]),
    cluster(1_000_000 >> 4, []),
    cluster(1_000_000, [block(1, 0, true), block(2, 10, false)]),
    cluster(2_000_000, [block(1, 0, true), block(2, 0, true), block(2, 30_000, false)]),
  ];

  it("ends each Cluster where the next begins, and indexes only those that open on a video keyframe", () => {
    const bytes = new Uint8Array([...init, ...clusters.flat()]);
    const offsets: number[] = [];
    let at = init.length;
    for (const c of clusters) {
      offsets.push(at);
      at += c.length;
    }
    const expected = {
      kind: "webm-clusters",
      initEnd: init.length,
      durationMs: 2030,
      // The second cluster has no blocks, the third opens on a video delta frame: neither is a start point.
      clusters: [
        [0, offsets[0]],
        [2000, offsets[3]],
      ],
    };
    expect(indexOf(bytes)).toEqual(expected);
    expect(indexOf(bytes, 1)).toEqual(expected);
    expect(indexOf(bytes, 5)).toEqual(expected);
  });

  it("an index read part-way covers what has arrived", () => {
    const indexer = new WebmIndexer();
    indexer.push(new Uint8Array(init));
    expect(indexer.index()).toEqual({ kind: "webm-clusters", initEnd: 0, durationMs: 0, clusters: [] });
    indexer.push(new Uint8Array(clusters[0]!));
    expect(indexer.index().clusters).toEqual([[0, init.length]]);
    expect(indexer.index().initEnd).toBe(init.length);
  });

  it("rejects bytes that are not EBML", () => {
    expect(() => new WebmIndexer().push(new Uint8Array([0x00, 0x01, 0x02]))).toThrow(WebmParseError);
  });
});

describe("clusterAt and parseMediaIndex", () => {
  const index = {
    clusters: [
      [0, 100],
      [1000, 900],
      [2000, 1800],
    ] as Array<[number, number]>,
  };
  it("picks the last start point at or before a time", () => {
    expect(clusterAt(index, 0)).toEqual([0, 100]);
    expect(clusterAt(index, 999)).toEqual([0, 100]);
    expect(clusterAt(index, 1000)).toEqual([1000, 900]);
    expect(clusterAt(index, 99_999)).toEqual([2000, 1800]);
    expect(clusterAt({ clusters: [] }, 5)).toBeUndefined();
  });
  it("accepts a well-formed stored index and nothing else", () => {
    const stored = { kind: "webm-clusters", initEnd: 100, durationMs: 2500, ...index };
    expect(parseMediaIndex(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    expect(parseMediaIndex({ ...stored, kind: "mp4" })).toBeUndefined();
    expect(parseMediaIndex({ ...stored, clusters: [[1, "x"]] })).toBeUndefined();
    expect(parseMediaIndex({ ...stored, initEnd: -1 })).toBeUndefined();
    expect(parseMediaIndex(null)).toBeUndefined();
  });
  it("thins a long index to a bounded number of evenly spread start points", () => {
    const clusters = Array.from({ length: 3600 }, (_, i): [number, number] => [i * 1000, i * 50_000]);
    const long = { kind: "webm-clusters" as const, initEnd: 10, durationMs: 3_600_000, clusters };
    const small = compactIndex(long, 1000);
    expect(small.clusters.length).toBeLessThanOrEqual(1000);
    expect(small.clusters.length).toBeGreaterThan(800);
    expect(small.clusters[0]).toEqual([0, 0]);
    const gaps = small.clusters.slice(1).map(([ms], i) => ms - small.clusters[i]![0]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5000);
    expect(JSON.stringify(small).length).toBeLessThan(24_000);
    expect(compactIndex({ ...long, clusters: clusters.slice(0, 10) })).toEqual({
      ...long,
      clusters: clusters.slice(0, 10),
    });
  });
  it("names the SourceBuffer type of known codecs only", () => {
    expect(webmMseType(["V_VP9"])).toBe('video/webm; codecs="vp9"');
    expect(webmMseType(["V_VP8", "A_AAC"])).toBeUndefined();
    expect(webmMseType([])).toBeUndefined();
  });
});
