/** Plaintext bytes start..end (inclusive) of a file of `size` bytes. */
export interface ByteRange {
  start: number;
  end: number;
  /** `bytes=a-`: the client takes whatever comes from `start` on (a shorter 206 answer is fine). */
  openEnded: boolean;
}

/**
 * Reads an HTTP `Range` header against a file of `size` bytes (RFC 9110 §14): `bytes=a-b`, `bytes=a-` and the
 * suffix form `bytes=-n`; the end is clamped to the last byte. Returns null when the whole file is wanted (no
 * header, a syntax we ignore, several ranges), "unsatisfiable" when no byte of it exists (416).
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (header === null) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1, openEnded: false };
  }
  const start = Number(first);
  const end = last === "" ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(end, size - 1), openEnded: last === "" };
}
