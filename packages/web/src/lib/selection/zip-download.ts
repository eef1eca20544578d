import { downloadZip } from "client-zip";
import { saveBlob } from "../media/save-blob.js";
import type { LibraryItem } from "../state/media-types.js";
import { mediaRegistry } from "../video/media-registry.js";

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

/**
 * Saves the zip as it is made: the Service Worker hands its stream to the browser's download, so only the file
 * being added is in memory. Resolves once the last byte is written (or fails with the file that could not be
 * read); without a worker the zip is assembled in memory and saved at the end.
 */
export async function saveZip(
  items: readonly LibraryItem[],
  open: (item: LibraryItem) => Promise<Blob>,
  name: string,
  onFile?: (done: number) => void,
): Promise<void> {
  const reader = zipOf(items, open, onFile).body!.getReader();
  let finished!: () => void;
  let failed!: (error: unknown) => void;
  const written = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          finished();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        failed(error);
      }
    },
    cancel(reason) {
      void reader.cancel(reason);
      failed(new DOMException("The download was cancelled", "AbortError"));
    },
  });
  try {
    await mediaRegistry.saveStream(body, name, "application/zip");
  } catch {
    saveBlob(await new Response(body).blob(), name);
    return;
  }
  await written;
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
