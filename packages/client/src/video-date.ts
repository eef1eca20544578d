/**
 * A video's capture time, read from its container without decoding it: ISO-BMFF (MP4, MOV, M4V, 3GP) and
 * Matroska/WebM. Only the few boxes or elements that hold a date are read: top-level box headers are visited by
 * seeking, so a `moov` at the end of a large file costs a handful of small reads.
 *
 * Order, first usable wins: Apple's `com.apple.quicktime.creationdate` (ISO 8601 with the local offset), then
 * `mvhd` creation_time (UTC), then `©day`; for Matroska, Segment/Info/DateUTC. Dates before 1990 or more than a
 * day in the future are ignored (cameras with an unset clock write 1904, 1970 or 2000). Nothing here throws:
 * a truncated or foreign file gives undefined.
 */

/** Random access to a file's bytes; `read` may return fewer bytes at the end of the file. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface VideoDate {
  /** ISO 8601; with the container's UTC offset when it gave one ("2021-07-04T12:30:00+02:00"), else UTC. */
  takenAt: string;
  /** IANA name of a whole-hour offset the container gave ("Etc/GMT-2" for +02:00, "UTC" for +00:00). */
  timeZone?: string;
}

/** A Blob (a browser File, or Node's) as a ByteSource. */
export function blobByteSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

const EARLIEST = Date.UTC(1990, 0, 1);
const DAY_MS = 86_400_000;
/** Seconds from 1904-01-01 (QuickTime's epoch) to 1970-01-01. */
const MAC_EPOCH_OFFSET = 2_082_844_800;
/** Milliseconds from 1970-01-01 to 2001-01-01 (Matroska's epoch). */
const MATROSKA_EPOCH_MS = Date.UTC(2001, 0, 1);
/** Boxes or elements visited before giving up on a file (a corrupt one could otherwise loop for long). */
const MAX_VISITS = 4096;
/** The largest `udta` or `meta` read whole: real ones are a few KiB. */
const MAX_META_BYTES = 1 << 20;

/** The container's capture time, or undefined when it has none (or the bytes are not a known container). */
export async function videoCreationDate(
  source: ByteSource,
  now: number = Date.now(),
): Promise<VideoDate | undefined> {
  try {
    const head = await source.read(0, 16);
    if (head.length < 8) return undefined;
    const found = isEbml(head) ? await matroskaDate(source) : await isoBmffDate(source, head);
    for (const candidate of found) {
      const date = sane(candidate, now);
      if (date) return date;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

interface Candidate {
  ms: number;
  /** Minutes east of UTC, when the container said. */
  offset?: number;
}

function sane(candidate: Candidate | undefined, now: number): VideoDate | undefined {
  if (!candidate || !Number.isFinite(candidate.ms)) return undefined;
  if (candidate.ms < EARLIEST || candidate.ms > now + DAY_MS) return undefined;
  if (candidate.offset === undefined) return { takenAt: new Date(candidate.ms).toISOString() };
  const { offset } = candidate;
  const local = new Date(candidate.ms + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? "-" : "+";
  const takenAt = `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  if (offset % 60 !== 0 || offset / 60 < -12 || offset / 60 > 14) return { takenAt };
  // Etc/GMT names count the other way round: Etc/GMT-2 is two hours east of UTC.
  const hours = offset / 60;
  return { takenAt, timeZone: hours === 0 ? "UTC" : `Etc/GMT${hours > 0 ? "-" : "+"}${Math.abs(hours)}` };
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * An ISO 8601 date or date-time as metadata atoms write it: "2021-07-04T12:30:00+0200", "…+02:00", "…Z",
 * "2021-07-04 12:30:00", "2021-07-04". Without an offset the time is read as UTC; a bare date as noon UTC, so it
 * is the same day in most of the world.
 */
export function parseIsoDate(text: string): Candidate | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(
      text.trim().replace(/\0+$/, ""),
    );
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  if (m[4] === undefined) return { ms: Date.UTC(y, mo - 1, d, 12) };
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 60) return undefined;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const zone = m[7];
  if (!zone || zone.toUpperCase() === "Z") return { ms: wall };
  const digits = zone.replace(":", "");
  const offset =
    (zone.startsWith("-") ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
  if (Math.abs(offset) > 18 * 60) return undefined;
  return { ms: wall - offset * 60_000, offset };
}

// ---------------------------------------------------------------- ISO-BMFF

interface Box {
  type: string;
  /** Offset of the payload (after the header). */
  start: number;
  /** Offset just past the box. */
  end: number;
}

const latin1 = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));
const utf8 = new TextDecoder("utf-8", { fatal: false });

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

/** A 64-bit unsigned big-endian integer as a number (exact below 2^53). */
function u64(b: Uint8Array, at: number): number {
  return u32(b, at) * 2 ** 32 + u32(b, at + 4);
}

/** The box header at `at` in `bytes` (which begin at file offset `base`); undefined if it does not fit in `limit`. */
function boxAt(bytes: Uint8Array, at: number, base: number, limit: number): Box | undefined {
  if (at + 8 > bytes.length) return undefined;
  let size = u32(bytes, at);
  const type = latin1(bytes, at + 4, at + 8);
  let header = 8;
  if (size === 1) {
    if (at + 16 > bytes.length) return undefined;
    size = u64(bytes, at + 8);
    header = 16;
  } else if (size === 0) size = limit - (base + at);
  if (size < header || base + at + size > limit) return undefined;
  return { type, start: base + at + header, end: base + at + size };
}

/** The children of the range [start, end) of the file, read header by header (no payload is read). */
async function* childBoxes(source: ByteSource, start: number, end: number): AsyncGenerator<Box> {
  let offset = start;
  for (let visits = 0; offset + 8 <= end && visits < MAX_VISITS; visits++) {
    const header = await source.read(offset, 16);
    const box = boxAt(header, 0, offset, end);
    if (!box) return;
    yield box;
    offset = box.end;
  }
}

/** The children of a box whose payload is in memory. */
function* boxesIn(bytes: Uint8Array, from: number, to: number): Generator<Box> {
  let at = from;
  for (let visits = 0; at + 8 <= to && visits < MAX_VISITS; visits++) {
    const box = boxAt(bytes, at, 0, to);
    if (!box) return;
    yield box;
    at = box.end;
  }
}

async function isoBmffDate(source: ByteSource, head: Uint8Array): Promise<(Candidate | undefined)[]> {
  const first = boxAt(head, 0, 0, source.size);
  if (!first || !/^(ftyp|moov|mdat|wide|free|skip|pnot)$/.test(first.type)) return [];
  let moov: Box | undefined;
  for await (const box of childBoxes(source, 0, source.size)) {
    if (box.type === "moov") {
      moov = box;
      break;
    }
  }
  if (!moov) return [];
  let mvhd: Candidate | undefined;
  let apple: Candidate | undefined;
  let day: Candidate | undefined;
  const readMeta = async (box: Box) => {
    if (box.end - box.start > MAX_META_BYTES) return;
    const bytes = await source.read(box.start, box.end - box.start);
    return bytes.length === box.end - box.start ? bytes : undefined;
  };
  const keep = (found: { apple?: Candidate; day?: Candidate }) => {
    apple ??= found.apple;
    day ??= found.day;
  };
  for await (const box of childBoxes(source, moov.start, moov.end)) {
    if (box.type === "mvhd") mvhd = mvhdDate(await source.read(box.start, 32));
    else if (box.type === "meta") {
      // Where iPhones put it: moov/meta (QuickTime metadata).
      const bytes = await readMeta(box);
      if (bytes) keep(metaDates(bytes, 0, bytes.length));
    } else if (box.type === "udta") {
      // Where ffmpeg and other tools put it: moov/udta/meta, or a QuickTime `©day` atom in udta itself.
      const bytes = await readMeta(box);
      if (!bytes) continue;
      for (const child of boxesIn(bytes, 0, bytes.length)) {
        if (child.type === "meta") keep(metaDates(bytes, child.start, child.end));
        else if (child.type === "\u00a9day") day ??= quickTimeText(bytes, child.start, child.end);
      }
    }
  }
  return [apple, mvhd, day];
}

/** mvhd: version (1), flags (3), then creation_time as 32 bits (version 0) or 64 bits (version 1). */
function mvhdDate(b: Uint8Array): Candidate | undefined {
  if (b.length < 12) return undefined;
  const seconds = b[0] === 1 ? u64(b, 4) : u32(b, 4);
  if (seconds === 0) return undefined; // "unknown"
  return { ms: (seconds - MAC_EPOCH_OFFSET) * 1000 };
}

/** A QuickTime user-data text atom: 16-bit length, 16-bit language, text. */
function quickTimeText(b: Uint8Array, start: number, end: number): Candidate | undefined {
  if (end - start < 4) return undefined;
  const length = (b[start]! << 8) | b[start + 1]!;
  const text = utf8.decode(b.subarray(start + 4, Math.min(end, start + 4 + length)));
  return parseIsoDate(text);
}

/**
 * A `meta` box: `hdlr` `mdta` with `keys` and an `ilst` whose items are key indexes (QuickTime metadata), or
 * `hdlr` `mdir` with an `ilst` of four-letter items (iTunes style, where `©day` lives).
 */
function metaDates(b: Uint8Array, start: number, end: number): { apple?: Candidate; day?: Candidate } {
  // ISO's meta is a full box (4 bytes of version and flags); QuickTime's is not: a child header follows at once.
  const from = latin1(b, start + 4, start + 8) === "hdlr" ? start : start + 4;
  const keys: string[] = [];
  const out: { apple?: Candidate; day?: Candidate } = {};
  for (const box of boxesIn(b, from, end)) {
    if (box.type === "keys" && box.end - box.start >= 8) {
      const count = u32(b, box.start + 4);
      let at = box.start + 8;
      for (let i = 0; i < count && at + 8 <= box.end; i++) {
        const size = u32(b, at);
        if (size < 8 || at + size > box.end) break;
        keys.push(utf8.decode(b.subarray(at + 8, at + size)));
        at += size;
      }
    } else if (box.type === "ilst") {
      for (const item of boxesIn(b, box.start, box.end)) {
        const index = u32(b, item.start - 4); // QuickTime metadata: the item's type is its key's 1-based index
        const name = item.type === "\u00a9day" ? "\u00a9day" : keys[index - 1];
        if (name !== "com.apple.quicktime.creationdate" && name !== "\u00a9day") continue;
        const text = dataText(b, item.start, item.end);
        const date = text === undefined ? undefined : parseIsoDate(text);
        if (!date) continue;
        if (name === "\u00a9day") out.day ??= date;
        else out.apple ??= date;
      }
    }
  }
  return out;
}

/** The text of an ilst item's `data` box: type (4), locale (4), value. */
function dataText(b: Uint8Array, start: number, end: number): string | undefined {
  for (const box of boxesIn(b, start, end)) {
    if (box.type === "data" && box.end - box.start >= 8)
      return utf8.decode(b.subarray(box.start + 8, box.end));
  }
  return undefined;
}

// ---------------------------------------------------------------- Matroska / WebM

const EBML_ID = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;
const INFO_ID = 0x1549a966;
const CLUSTER_ID = 0x1f43b675;
const DATE_UTC_ID = 0x4461;
const DOC_TYPE_ID = 0x4282;

function isEbml(head: Uint8Array): boolean {
  return u32(head, 0) === EBML_ID;
}

interface Element {
  id: number;
  start: number;
  /** Undefined for an element of unknown size (it runs to the end of its parent). */
  end: number | undefined;
}

/** An EBML variable-length integer at `at`: its length and value (marker bit removed); undefined if invalid. */
function vint(
  b: Uint8Array,
  at: number,
  keepMarker: boolean,
): { length: number; value: number; unknown: boolean } | undefined {
  const first = b[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > b.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]!;
    if (b[at + i] !== 0xff) allOnes = false;
  }
  return { length, value, unknown: !keepMarker && allOnes };
}

function elementAt(b: Uint8Array, at: number, base: number): Element | undefined {
  const id = vint(b, at, true);
  if (!id || id.length > 4) return undefined;
  const size = vint(b, at + id.length, false);
  if (!size) return undefined;
  const start = base + at + id.length + size.length;
  return { id: id.value, start, end: size.unknown ? undefined : start + size.value };
}

async function* childElements(source: ByteSource, start: number, end: number): AsyncGenerator<Element> {
  let offset = start;
  for (let visits = 0; offset < end && visits < MAX_VISITS; visits++) {
    const element = elementAt(await source.read(offset, 12), 0, offset);
    if (!element) return;
    yield element;
    if (element.end === undefined || element.end > end) return;
    offset = element.end;
  }
}

async function matroskaDate(source: ByteSource): Promise<(Candidate | undefined)[]> {
  const header = elementAt(await source.read(0, 12), 0, 0);
  if (!header?.end) return [];
  const ebml = await source.read(header.start, Math.min(header.end - header.start, 256));
  let docType: string | undefined;
  for (let at = 0; at < ebml.length; ) {
    const child = elementAt(ebml, at, 0);
    if (!child?.end) break;
    if (child.id === DOC_TYPE_ID) docType = latin1(ebml, child.start, Math.min(child.end, ebml.length));
    at = child.end;
  }
  if (docType !== "matroska" && docType !== "webm") return [];
  for await (const top of childElements(source, header.end, source.size)) {
    if (top.id !== SEGMENT_ID) continue;
    for await (const child of childElements(source, top.start, top.end ?? source.size)) {
      if (child.id === CLUSTER_ID) return []; // Info comes before the media in every file worth reading.
      if (child.id !== INFO_ID || child.end === undefined || child.end - child.start > MAX_META_BYTES)
        continue;
      const info = await source.read(child.start, child.end - child.start);
      for (let at = 0; at < info.length; ) {
        const field = elementAt(info, at, 0);
        if (!field?.end || field.end > info.length) break;
        if (field.id === DATE_UTC_ID && field.end - field.start === 8) {
          const view = new DataView(info.buffer, info.byteOffset + field.start, 8);
          const nanoseconds = view.getBigInt64(0);
          return [{ ms: MATROSKA_EPOCH_MS + Number(nanoseconds / 1_000_000n) }];
        }
        at = field.end;
      }
      return [];
    }
    return [];
  }
  return [];
}
