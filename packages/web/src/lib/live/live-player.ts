import { clusterAt, WebmIndexer, type WebmMediaIndex, webmMseType } from "./webm-index.js";

/** The SDK's LiveReader (client.live.open), seen structurally: authenticated plaintext in order, null at the end. */
export interface LiveReaderLike {
  readonly live: boolean;
  next(): Promise<Uint8Array | null>;
  close(): void;
}

/** Where a player gets a recording's plaintext from. */
export interface PlayerSource {
  /** The whole stream from its first byte; while the file is live it waits for more (polls). */
  open(): Promise<LiveReaderLike>;
  /** Finished files with an index: plaintext bytes start..endInclusive, each segment authenticated. */
  readRange?: (start: number, endInclusive: number) => Promise<Uint8Array>;
  /** Plaintext size of a finished file. */
  size?: number;
  /** The seek index and true duration a finished recording carries in its metadata. */
  index?: WebmMediaIndex;
  durationSec?: number;
}

export interface PlayerStatus {
  /** The file is still being recorded. */
  live: boolean;
  /** How far behind the recording's newest data playback is, in seconds (live only). */
  behindSec: number;
  /** Buffered media ahead of the playhead, in seconds. */
  bufferedAheadSec: number;
  error?: string;
}

/** Behind the newest data by more than this while live: jump to the live edge. */
const MAX_LIVE_LAG_SEC = 3;
/** Where a jump to the live edge lands: this far before the newest frame, so playback does not stall at once. */
const LIVE_EDGE_MARGIN_SEC = 1;
/** Playback rate while more than a little behind the live edge. */
const CATCH_UP_RATE = 1.1;
/** Indexed playback reads ahead this far, in pieces of this many bytes. */
const READ_AHEAD_SEC = 20;
const RANGE_CHUNK = 1024 * 1024;
/** Media this far behind the playhead is removed from the buffer, so long recordings do not exhaust it. */
const KEEP_BEHIND_SEC = 30;

export interface LivePlayerOptions {
  /** Wall time (ms) of media time 0, for the delay shown while live. */
  recordedFrom?: number;
  /** A finished file is read this far ahead of the playhead (seconds). */
  readAheadSec?: number;
  /** Media this far behind the playhead is dropped from the buffer (seconds). */
  keepBehindSec?: number;
  /** Bytes per range read of indexed playback. */
  rangeChunkBytes?: number;
}

/** The browser cannot play this recording through Media Source Extensions. */
export class LivePlaybackError extends Error {
  readonly code = "LIVE_PLAYBACK";
}

/**
 * Plays a recording through Media Source Extensions: a live one as its bytes arrive (staying near the live
 * edge), a finished one with a seek index by reading from the Cluster before each seek target.
 */
export class LivePlayer {
  private readonly mediaSource = new MediaSource();
  private readonly url: string;
  private buffer: SourceBuffer | undefined;
  private reader: LiveReaderLike | undefined;
  private closed = false;
  /** Bumped by every seek of indexed playback: a read loop of an older generation stops. */
  private generation = 0;
  private appending: Promise<void> = Promise.resolve();
  /** Stream playback: an index built from the bytes read so far, and how far that is. */
  private readonly seen = new WebmIndexer();
  private seenUpTo = 0;
  private status: PlayerStatus = { live: false, behindSec: 0, bufferedAheadSec: 0 };
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly recordedFrom: number | undefined;
  private readonly readAheadSec: number;
  private readonly keepBehindSec: number;
  private readonly rangeChunk: number;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly source: PlayerSource,
    private readonly onstatus: (status: PlayerStatus) => void,
    options: LivePlayerOptions = {},
  ) {
    this.recordedFrom = options.recordedFrom;
    this.readAheadSec = options.readAheadSec ?? READ_AHEAD_SEC;
    this.keepBehindSec = options.keepBehindSec ?? KEEP_BEHIND_SEC;
    this.rangeChunk = options.rangeChunkBytes ?? RANGE_CHUNK;
    this.url = URL.createObjectURL(this.mediaSource);
    video.src = this.url;
    this.ticker = setInterval(() => this.tick(), 500);
    void this.run().catch((error: unknown) => this.fail(error));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    clearInterval(this.ticker);
    this.reader?.close();
    this.video.removeAttribute("src");
    this.video.load();
    URL.revokeObjectURL(this.url);
  }

  private async run(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.mediaSource.addEventListener("sourceopen", () => resolve(), { once: true }),
    );
    const { index, readRange, size } = this.source;
    if (index && readRange && size !== undefined && index.initEnd > 0)
      await this.playIndexed(index, readRange, size);
    else await this.playStream();
  }

  /**
   * The whole stream in order: a live recording (polling for more), or a finished one without a range API or
   * an index. A seek outside what is buffered reads the stream again from its start and skips to the Cluster
   * before the target (the stored index, or the one built while reading).
   */
  private async playStream(skipTo = 0): Promise<void> {
    const generation = ++this.generation;
    const reader = await this.source.open();
    if (generation !== this.generation || this.closed) return reader.close();
    this.reader?.close();
    this.reader = reader;
    this.status.live = reader.live;
    const early: Uint8Array[] = [];
    let position = 0;
    for (;;) {
      // A finished file is read no further ahead than playback needs (the buffer has a quota).
      while (!reader.live && this.buffer && this.aheadSec() > this.readAheadSec) {
        await this.playheadMoved();
        if (generation !== this.generation || this.closed) return;
      }
      const bytes = await reader.next();
      if (generation !== this.generation || this.closed) return;
      if (bytes === null) break;
      const start = position;
      position += bytes.length;
      if (position > this.seenUpTo) {
        sniff(this.seen, bytes.subarray(this.seenUpTo - start));
        this.seenUpTo = position;
      }
      if (!this.buffer) {
        // The SourceBuffer's type names the codecs, which the WebM's Tracks tell: wait for them. Tracks come
        // before the first Cluster: once a Cluster began, every codec is known.
        early.push(bytes);
        if (this.seen.index().initEnd === 0) continue;
        this.buffer = this.addBuffer(this.seen.codecs);
        // A finished file's true duration up front, so a seek past what was read is not cut to it.
        const duration = this.source.durationSec;
        if (!reader.live && duration !== undefined && duration > 0) this.mediaSource.duration = duration;
        for (const piece of early.splice(0)) await this.append(piece, generation);
        this.watchSeeks();
        continue;
      }
      if (position <= skipTo) continue;
      await this.append(start < skipTo ? bytes.subarray(skipTo - start) : bytes, generation);
      this.status.live = reader.live;
      this.keepUp();
    }
    if (!this.buffer) {
      if (early.length === 0) throw new LivePlaybackError("The recording is empty.");
      this.buffer = this.addBuffer(this.seen.codecs);
      for (const piece of early.splice(0)) await this.append(piece, generation);
    }
    await this.appending;
    if (generation !== this.generation) return;
    // The end: the file is an ordinary recording now, with a finite duration.
    this.status.live = false;
    if (this.mediaSource.readyState === "open") this.mediaSource.endOfStream();
    this.tick();
  }

  /** Stream playback of a finished file: a seek outside the buffer starts reading again at the right Cluster. */
  private watchSeeks(): void {
    this.video.addEventListener("seeking", () => {
      if (this.status.live || this.isBuffered(this.video.currentTime)) return;
      const target = this.video.currentTime * 1000;
      const known = this.source.index ?? this.seen.index();
      const last = known.clusters[known.clusters.length - 1];
      // Ahead of everything read so far: the running read gets there (its read-ahead limit lifts).
      if (!this.source.index && (!last || target > last[0]) && target / 1000 > (this.bufferedEnd() ?? 0))
        return;
      const offset = clusterAt(known, target)?.[1];
      if (offset === undefined) return;
      void this.restartAt(offset).catch((error: unknown) => this.fail(error));
    });
  }

  private async restartAt(offset: number): Promise<void> {
    const buffer = this.buffer!;
    // Stops the running read at its next step; a later seek's restart supersedes this one.
    const ticket = ++this.generation;
    await this.appending;
    if (buffer.updating) await once(buffer, "updateend");
    if (ticket !== this.generation || this.closed) return;
    if (this.mediaSource.readyState === "open") buffer.abort();
    await this.playStream(offset);
  }

  /** A finished recording with an index: the init segment, then from the Cluster before each seek target. */
  private async playIndexed(
    index: WebmMediaIndex,
    readRange: (start: number, endInclusive: number) => Promise<Uint8Array>,
    size: number,
  ): Promise<void> {
    const init = await readRange(0, index.initEnd - 1);
    const sniffer = new WebmIndexer();
    sniff(sniffer, init);
    this.buffer = this.addBuffer(sniffer.codecs);
    const duration = this.source.durationSec ?? index.durationMs / 1000;
    if (duration > 0) this.mediaSource.duration = duration;
    await this.append(init);
    const start = index.clusters[0]?.[1] ?? index.initEnd;
    this.video.addEventListener("seeking", () => {
      if (this.isBuffered(this.video.currentTime)) return;
      const from = clusterAt(index, this.video.currentTime * 1000)?.[1] ?? start;
      void this.readFrom(from, size, readRange).catch((error: unknown) => this.fail(error));
    });
    await this.readFrom(start, size, readRange);
  }

  private async readFrom(
    offset: number,
    size: number,
    readRange: (start: number, endInclusive: number) => Promise<Uint8Array>,
  ): Promise<void> {
    const generation = ++this.generation;
    const buffer = this.buffer!;
    // A new position: the parser forgets the partial Cluster it was in (after the append under way).
    await this.appending;
    if (generation !== this.generation || this.closed) return;
    if (buffer.updating) await once(buffer, "updateend");
    if (this.mediaSource.readyState === "open") buffer.abort();
    let at = offset;
    while (at < size) {
      while (this.aheadSec() > this.readAheadSec) {
        await this.playheadMoved();
        if (generation !== this.generation || this.closed) return;
      }
      const bytes = await readRange(at, Math.min(size, at + this.rangeChunk) - 1);
      if (generation !== this.generation || this.closed) return;
      await this.append(bytes, generation);
      at += bytes.length;
    }
    if (generation === this.generation && this.mediaSource.readyState === "open")
      this.mediaSource.endOfStream();
  }

  /**
   * Playback moved on, or a seek began: a seek to where nothing is buffered sends no timeupdate until data
   * arrives there, so waiting for timeupdate alone would wait for ever.
   */
  private playheadMoved(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.video.removeEventListener("timeupdate", done);
        this.video.removeEventListener("seeking", done);
        resolve();
      };
      this.video.addEventListener("timeupdate", done);
      this.video.addEventListener("seeking", done);
    });
  }

  private addBuffer(codecs: readonly string[]): SourceBuffer {
    const type = webmMseType(codecs);
    if (!type || !MediaSource.isTypeSupported(type))
      throw new LivePlaybackError(
        `This browser cannot play this recording here (${codecs.join(", ") || "unknown codecs"}).`,
      );
    return this.mediaSource.addSourceBuffer(type);
  }

  /** Appends one after another: a seek's read loop may start while the previous one's append is under way. */
  private append(bytes: Uint8Array, generation = this.generation): Promise<void> {
    const next = this.appending.then(() => {
      if (generation !== this.generation || this.closed) return;
      return this.appendNow(bytes);
    });
    this.appending = next.catch(() => undefined);
    return next;
  }

  private async appendNow(bytes: Uint8Array): Promise<void> {
    const buffer = this.buffer!;
    this.trimBehind();
    if (buffer.updating) await once(buffer, "updateend");
    try {
      buffer.appendBuffer(bytes as Uint8Array<ArrayBuffer>);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === "QuotaExceededError")) throw error;
      // Full: drop all but a few seconds behind the playhead and try once more.
      const keep = Math.max(0, this.video.currentTime - 2);
      if (keep > 0) {
        buffer.remove(0, keep);
        await once(buffer, "updateend");
      }
      buffer.appendBuffer(bytes as Uint8Array<ArrayBuffer>);
    }
    await once(buffer, "updateend");
  }

  private trimBehind(): void {
    const buffer = this.buffer;
    if (!buffer || buffer.updating || buffer.buffered.length === 0) return;
    const cut = this.video.currentTime - this.keepBehindSec;
    if (buffer.buffered.start(0) < cut - 5) buffer.remove(0, cut);
  }

  /** While live: a viewer more than a few seconds behind the newest data jumps to it. */
  private keepUp(): void {
    const video = this.video;
    const end = this.bufferedEnd();
    if (!this.status.live || end === undefined) {
      if (video.playbackRate !== 1) video.playbackRate = 1;
      return;
    }
    const lag = end - video.currentTime;
    if (lag > MAX_LIVE_LAG_SEC && !video.seeking) video.currentTime = Math.max(0, end - LIVE_EDGE_MARGIN_SEC);
    // A little behind: catch up by playing slightly faster (inaudible), instead of jumping.
    else video.playbackRate = lag > LIVE_EDGE_MARGIN_SEC + 0.4 ? CATCH_UP_RATE : 1;
  }

  private tick(): void {
    const end = this.bufferedEnd();
    const now = this.video.currentTime;
    this.status.bufferedAheadSec = end === undefined ? 0 : Math.max(0, end - now);
    this.status.behindSec =
      this.recordedFrom !== undefined
        ? Math.max(0, (Date.now() - this.recordedFrom) / 1000 - now)
        : this.status.bufferedAheadSec;
    this.keepUp();
    this.onstatus({ ...this.status });
  }

  private bufferedEnd(): number | undefined {
    const ranges = this.buffer?.buffered;
    return ranges && ranges.length > 0 ? ranges.end(ranges.length - 1) : undefined;
  }

  private isBuffered(t: number): boolean {
    const ranges = this.buffer?.buffered;
    if (!ranges) return false;
    for (let i = 0; i < ranges.length; i++) if (ranges.start(i) <= t && t < ranges.end(i) - 0.1) return true;
    return false;
  }

  /** Seconds buffered from the playhead on, in the range that holds it (none: 0). */
  private aheadSec(): number {
    const ranges = this.buffer?.buffered;
    const t = this.video.currentTime;
    if (!ranges) return 0;
    // A range starting just after the playhead counts (media often begins a few ms after 0, or after a seek point).
    for (let i = 0; i < ranges.length; i++)
      if (ranges.start(i) - 0.5 <= t && t <= ranges.end(i)) return ranges.end(i) - t;
    return 0;
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.status.error = error instanceof Error ? error.message : String(error);
    this.onstatus({ ...this.status });
  }
}

function sniff(sniffer: WebmIndexer, bytes: Uint8Array): void {
  try {
    sniffer.push(bytes);
  } catch {
    throw new LivePlaybackError("This recording is not a WebM this player can read.");
  }
}

function once(target: EventTarget, type: string): Promise<void> {
  return new Promise((resolve) => target.addEventListener(type, () => resolve(), { once: true }));
}
