import type { FileMetadata } from "@umbra/client";

export type { FileMetadata };

/** One decrypted file as the web app shows it. Never leaves the browser in clear. */
export interface LibraryItem {
  id: string;
  meta: FileMetadata;
  /** Sort key: capture time in ms, falling back to modification then upload time. */
  time: number;
  albumIds: string[];
  trashedAt: string | null;
  contentSize: number;
  favorite: boolean;
  /** Set for a file of an album someone shared with us, shown in the timeline by choice: read-only here. */
  shared?: { albumId: string; ownerEmail: string };
  /** The server lists the file as a recording still under way (its bytes grow; it is watched live). */
  live?: true;
}

export interface AlbumItem {
  id: string;
  kind: "library" | "user";
  name: string;
}

export function isVideo(meta: FileMetadata): boolean {
  return meta.mime.startsWith("video/");
}

/** Exposure values live in the metadata's free-form `exif` record under their EXIF tag names. */
export function exposureOf(meta: FileMetadata) {
  const exif = meta.exif ?? {};
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  return {
    fNumber: n(exif.FNumber),
    exposureTime: n(exif.ExposureTime),
    iso: n(exif.ISO),
    focalLength: n(exif.FocalLength),
  };
}
