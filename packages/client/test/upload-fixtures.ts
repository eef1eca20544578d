import type { MediaHooks, UploadSource } from "../src/metadata.js";

/** Thumbnails are fixed bytes: these tests are about keys and records, not images. */
export const hooks: MediaHooks = {
  async extract() {
    return { info: {}, thumbnails: { grid: new Uint8Array([1, 2]), preview: new Uint8Array([3, 4]) } };
  },
};

/** A "photo" of `size` bytes that differ by `seed` (so two seeds are never duplicates of each other). */
export function photo(
  name: string,
  seed: number,
  size = 70_000,
): { source: UploadSource; bytes: Uint8Array } {
  const bytes = Uint8Array.from({ length: size }, (_, i) => (i * seed + (i >> 7)) % 251);
  return {
    bytes,
    source: {
      name,
      size,
      mime: "image/jpeg",
      localKey: `${name}-${seed}`,
      open: () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(),
    },
  };
}

export const collect = async (stream: ReadableStream<Uint8Array>) =>
  Buffer.from(await new Response(stream).arrayBuffer());
