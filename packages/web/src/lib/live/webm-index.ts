/**
 * A time → byte-offset index of a WebM, built while the file is produced. MediaRecorder writes no Cues, no
 * Duration and an unknown-size Segment (and Clusters), so a browser can only seek such a file by reading it from
 * the start; this index, kept in the file's encrypted metadata, lets a player fetch from the right Cluster.
 */

/** What the final metadata's `extra.mediaIndex` holds for a recorded WebM. */
export interface WebmMediaIndex {
  kind: "webm-clusters";
  /** Bytes [0, initEnd) are the init segment (EBML header, Segment header, Info, Tracks): what MSE needs first. */
  initEnd: number;
  /** Time of the last block seen, in ms (a recorded WebM states no duration of its own). */
  durationMs: number;
  /**
   * Clusters a decoder can start at (their first video block is a keyframe): [that keyframe's time in ms, the
   * Cluster's byte offset], in order.
   */
  clusters: Array<[number, number]>;
}

const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
} as const;

/** Masters we descend into; every other element is read (if wanted) or skipped whole. */
const MASTERS: ReadonlySet<number> = new Set([
  ID.Segment,
  ID.Info,
  ID.Tracks,
  ID.TrackEntry,
  ID.Cluster,
  ID.BlockGroup,
]);

/** The children a Cluster may hold: an unknown-size Cluster ends at the first element that is not one. */
const CLUSTER_CHILDREN: ReadonlySet<number> = new Set([
  ID.Timecode,
  ID.SimpleBlock,
  ID.BlockGroup,
  0xa7, // Position
  0xab, // PrevSize
  0xaf, // EncryptedBlock
  0x5854, // SilentTracks
  0xec, // Void
  0xbf, // CRC-32
]);

/** Leaves whose value we read: small unsigned integers. */
const UINT_LEAVES: ReadonlySet<number> = new Set([
  ID.TimecodeScale,
  ID.TrackNumber,
  ID.TrackType,
  ID.Timecode,
]);

/** A block's header: track number (up to 8 bytes), relative timecode (2), flags (1). */
const BLOCK_HEADER_MAX = 11;

/** Bytes that are not WebM as this parser understands it. */
export class WebmParseError extends Error {
  readonly code = "WEBM_PARSE";
}

interface OpenMaster {
  id: number;
  /** Absolute end offset; Infinity for an unknown size. */
  end: number;
}

interface VarInt {
  value: number;
  length: number;
  unknown: boolean;
}

/** An EBML variable-length integer at `at`, or null when more bytes are needed. */
function readVarInt(bytes: Uint8Array, at: number, keepMarker: boolean): VarInt | null {
  if (at >= bytes.length) return null;
  const first = bytes[at]!;
  if (first === 0) throw new WebmParseError("Invalid EBML variable-length integer");
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i]!;
    value = value * 256 + b;
    if (b !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readUint(bytes: Uint8Array, at: number, length: number): number {
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + bytes[at + i]!;
  return v;
}

/**
 * Feed it the file's bytes in order, in chunks of any size; read `index()` at any time. It keeps only the bytes of
 * an element header or a wanted value that a chunk boundary split, never the media itself.
 */
export class WebmIndexer {
  private pending: Uint8Array = new Uint8Array(0);
  /** Absolute offset of pending[0]. */
  private offset = 0;
  /** Bytes of the element being skipped still to come. */
  private skip = 0;
  private readonly stack: OpenMaster[] = [];
  private timecodeScaleNs = 1_000_000;
  private initEnd = -1;
  /** Track numbers by type (1 video, 2 audio), filled from Tracks. */
  private readonly trackTypes = new Map<number, number>();
  private trackNumber: number | undefined;
  private trackType: number | undefined;
  private readonly codecIds: string[] = [];
  private cluster: { offset: number; timecode: number | undefined; decided: boolean } | undefined;
  private readonly clusters: Array<[number, number]> = [];
  private lastMs = 0;

  push(chunk: Uint8Array): void {
    if (this.pending.length === 0) this.pending = chunk;
    else {
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending);
      joined.set(chunk, this.pending.length);
      this.pending = joined;
    }
    let at = 0;
    const bytes = this.pending;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, bytes.length - at);
        at += n;
        this.skip -= n;
        if (this.skip > 0) break;
      }
      this.closeEnded(this.offset + at);
      const id = readVarInt(bytes, at, true);
      if (!id) break;
      const size = readVarInt(bytes, at + id.length, false);
      if (!size) break;
      const start = this.offset + at;
      const headerLength = id.length + size.length;
      this.closeUnknownBefore(id.value, start);
      if (MASTERS.has(id.value)) {
        this.open(
          id.value,
          start,
          size.unknown ? Number.POSITIVE_INFINITY : start + headerLength + size.value,
        );
        at += headerLength;
        continue;
      }
      if (size.unknown) throw new WebmParseError(`Element 0x${id.value.toString(16)} has an unknown size`);
      const want = this.wanted(id.value, size.value);
      if (at + headerLength + want > bytes.length) break;
      if (want > 0) this.read(id.value, bytes, at + headerLength, want);
      at += headerLength;
      this.skip = size.value;
    }
    this.offset += at;
    // Keep only the unread tail (a copy, so a large chunk is not held for a few bytes of it).
    this.pending = at >= bytes.length ? new Uint8Array(0) : bytes.slice(at);
  }

  /** The index as far as the bytes pushed so far go. */
  index(): WebmMediaIndex {
    return {
      kind: "webm-clusters",
      initEnd: Math.max(0, this.initEnd),
      durationMs: this.lastMs,
      clusters: this.clusters.map(([ms, offset]) => [ms, offset]),
    };
  }

  /** The tracks' Matroska codec ids (V_VP8, A_OPUS…), once the Tracks element has arrived. */
  get codecs(): readonly string[] {
    return this.codecIds;
  }

  /** Bytes pushed and parsed (or being skipped) so far. */
  get parsedBytes(): number {
    return this.offset;
  }

  private open(id: number, start: number, end: number): void {
    if (id === ID.Cluster) {
      if (this.initEnd < 0) this.initEnd = start;
      this.cluster = { offset: start, timecode: undefined, decided: false };
    }
    if (id === ID.TrackEntry) {
      this.trackNumber = undefined;
      this.trackType = undefined;
    }
    this.stack.push({ id, end });
  }

  private close(master: OpenMaster): void {
    if (master.id === ID.TrackEntry && this.trackNumber !== undefined)
      this.trackTypes.set(this.trackNumber, this.trackType ?? 0);
    if (master.id === ID.Cluster) this.cluster = undefined;
  }

  private closeEnded(position: number): void {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.end <= position)
      this.close(this.stack.pop()!);
  }

  /** An unknown-size master ends where an element that cannot be its child begins. */
  private closeUnknownBefore(id: number, position: number): void {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top || top.end !== Number.POSITIVE_INFINITY) return;
      const child =
        top.id === ID.Cluster ? CLUSTER_CHILDREN.has(id) : top.id === ID.Segment ? id !== ID.EBML : true;
      if (child) return;
      top.end = position;
      this.close(this.stack.pop()!);
    }
  }

  private wanted(id: number, size: number): number {
    if (UINT_LEAVES.has(id)) return size <= 8 ? size : 0;
    if (id === ID.CodecID) return size <= 64 ? size : 0;
    if (id === ID.SimpleBlock || id === ID.Block) return Math.min(size, BLOCK_HEADER_MAX);
    return 0;
  }

  private read(id: number, bytes: Uint8Array, at: number, length: number): void {
    if (id === ID.SimpleBlock || id === ID.Block) {
      this.block(bytes, at, length, id === ID.SimpleBlock);
      return;
    }
    if (id === ID.CodecID) {
      this.codecIds.push(new TextDecoder().decode(bytes.subarray(at, at + length)).replace(/\0+$/, ""));
      return;
    }
    const value = readUint(bytes, at, length);
    if (id === ID.TimecodeScale && value > 0) this.timecodeScaleNs = value;
    else if (id === ID.TrackNumber) this.trackNumber = value;
    else if (id === ID.TrackType) this.trackType = value;
    else if (id === ID.Timecode && this.cluster) this.cluster.timecode = value;
  }

  private block(bytes: Uint8Array, at: number, length: number, simple: boolean): void {
    const cluster = this.cluster;
    if (!cluster || cluster.timecode === undefined) return;
    const track = readVarInt(bytes, at, false);
    if (!track || track.length + 3 > length) return;
    const view = new DataView(bytes.buffer, bytes.byteOffset + at + track.length, 3);
    const ms = this.toMs(cluster.timecode + view.getInt16(0));
    this.lastMs = Math.max(this.lastMs, ms);
    if (cluster.decided) return;
    const hasVideo = [...this.trackTypes.values()].includes(1);
    if (hasVideo && this.trackTypes.get(track.value) !== 1) return;
    // A BlockGroup's Block has no keyframe flag; the first one of a Cluster is taken as a start point only if
    // simple blocks are absent, which libwebm writes for keyframes anyway.
    const keyframe = simple ? (view.getUint8(2) & 0x80) !== 0 : true;
    cluster.decided = true;
    if (keyframe) this.clusters.push([ms, cluster.offset]);
  }

  private toMs(ticks: number): number {
    return Math.round((ticks * this.timecodeScaleNs) / 1_000_000);
  }
}

/**
 * The index thinned to at most `max` start points, evenly spread in time: it lives in the file's metadata, which
 * has a size limit (an hour at a keyframe a second would be 3,600 points).
 */
export function compactIndex(index: WebmMediaIndex, max = 1000): WebmMediaIndex {
  if (index.clusters.length <= max) return index;
  const step = index.durationMs / max;
  const clusters: Array<[number, number]> = [];
  for (const entry of index.clusters) {
    const last = clusters[clusters.length - 1];
    if (!last || entry[0] - last[0] >= step) clusters.push(entry);
  }
  return { ...index, clusters: clusters.slice(0, max) };
}

const MSE_CODECS: Record<string, string> = {
  V_VP8: "vp8",
  V_VP9: "vp9",
  V_AV1: "av01.0.08M.08",
  "V_MPEG4/ISO/AVC": "avc1.42E01E",
  A_OPUS: "opus",
  A_VORBIS: "vorbis",
};

/** The MIME type a SourceBuffer needs for a WebM with these codec ids, or undefined for one we cannot name. */
export function webmMseType(codecIds: readonly string[]): string | undefined {
  const codecs = codecIds.map((id) => MSE_CODECS[id]);
  if (codecs.length === 0 || codecs.some((c) => c === undefined)) return undefined;
  return `video/webm; codecs="${codecs.join(",")}"`;
}

/** The cluster to start reading at for time `ms`: the last start point at or before it (the first one if none). */
export function clusterAt(index: Pick<WebmMediaIndex, "clusters">, ms: number): [number, number] | undefined {
  const { clusters } = index;
  if (clusters.length === 0) return undefined;
  let lo = 0;
  let hi = clusters.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (clusters[mid]![0] <= ms) lo = mid;
    else hi = mid - 1;
  }
  return clusters[lo];
}

/** A stored `extra.mediaIndex`, checked: metadata comes from the user's own devices but is still parsed, not trusted. */
export function parseMediaIndex(value: unknown): WebmMediaIndex | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind !== "webm-clusters") return undefined;
  const n = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= 0;
  if (!n(v.initEnd) || !n(v.durationMs) || !Array.isArray(v.clusters)) return undefined;
  const clusters: Array<[number, number]> = [];
  for (const c of v.clusters) {
    if (!Array.isArray(c) || !n(c[0]) || !n(c[1])) return undefined;
    clusters.push([c[0], c[1]]);
  }
  return { kind: "webm-clusters", initEnd: v.initEnd, durationMs: v.durationMs, clusters };
}
