import { downloadZip } from "client-zip";
import type { LibraryItem } from "../state/media-types.js";

/**
 * A zip of decrypted files, made in the browser: client-zip streams each entry as its file is fetched and
 * decrypted, one after another. Names are made unique inside the archive; dates are the photos' own.
 */
export function zipOf(
  items: readonly LibraryItem[],
  open: (item: LibraryItem) => Promise<Blob>,
  onFile?: (done: number) => void,
): Response {
  const used = new Map<string, number>();
  let done = 0;
  async function* entries() {
    for (const item of items) {
      const blob = await open(item);
      yield { name: uniqueName(item.meta.name, used), lastModified: new Date(item.time), input: blob };
      onFile?.(++done);
    }
  }
  return downloadZip(entries());
}

export function uniqueName(name: string, used: Map<string, number>): string {
  const clean = name.replace(/[\\/]/g, "_") || "file";
  const seen = used.get(clean.toLowerCase()) ?? 0;
  used.set(clean.toLowerCase(), seen + 1);
  if (seen === 0) return clean;
  const dot = clean.lastIndexOf(".");
  const [base, ext] = dot > 0 ? [clean.slice(0, dot), clean.slice(dot)] : [clean, ""];
  const next = `${base} (${seen})${ext}`;
  if (used.has(next.toLowerCase())) return uniqueName(next, used);
  used.set(next.toLowerCase(), 1);
  return next;
}
