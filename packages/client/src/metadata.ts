import {
  GPS_LATITUDE_RANGE,
  GPS_LONGITUDE_RANGE,
  METADATA_DESCRIPTION_MAX_LENGTH,
  METADATA_MIME_MAX_LENGTH,
  METADATA_NAME_MAX_LENGTH,
  METADATA_ROTATIONS,
} from "@umbra/crypto/formats";
import { z } from "zod";

/**
 * What a file's encrypted metadata holds (the fields of @umbra/crypto's FileMetadata, with the limits of
 * `@umbra/crypto/formats`, so both checks agree). The server only ever sees it as ciphertext; the client still
 * validates it after decryption like any other input.
 * Unknown fields are kept, so an older client does not drop what a newer one wrote when it renames.
 */
export const FileMetadata = z.looseObject({
  name: z.string().min(1).max(METADATA_NAME_MAX_LENGTH),
  mime: z.string().max(METADATA_MIME_MAX_LENGTH),
  /** Plaintext length in bytes (the stored ciphertext is padded). */
  size: z.number().int().min(0),
  takenAt: z.string().optional(),
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
  durationSec: z.number().nonnegative().optional(),
  camera: z.object({ make: z.string().optional(), model: z.string().optional() }).optional(),
  lens: z.string().optional(),
  gps: z
    .object({
      lat: z.number().min(GPS_LATITUDE_RANGE[0]).max(GPS_LATITUDE_RANGE[1]),
      lon: z.number().min(GPS_LONGITUDE_RANGE[0]).max(GPS_LONGITUDE_RANGE[1]),
      alt: z.number().optional(),
    })
    .optional(),
  exif: z.record(z.string(), z.json()).optional(),
  /** Keyed content digest (base64url) for duplicate detection; meaningless without the user's dedup key. */
  contentDigest: z.string().optional(),
  description: z.string().max(METADATA_DESCRIPTION_MAX_LENGTH).optional(),
  rotation: z
    .number()
    .refine(
      (r) => (METADATA_ROTATIONS as readonly number[]).includes(r),
      "rotation must be 0, 90, 180 or 270",
    )
    .optional(),
  timeZone: z.string().optional(),
  archived: z.boolean().optional(),
  extra: z.record(z.string(), z.json()).optional(),
});
export type FileMetadata = z.infer<typeof FileMetadata>;

/**
 * What a user may change of a file's metadata in place (re-encrypted, content untouched). A field set to
 * `undefined` is removed.
 */
export type MetadataEdit = Partial<
  Pick<FileMetadata, "name" | "takenAt" | "timeZone" | "description" | "rotation" | "archived">
>;

/** What a caller's media hook extracts from a file (everything but the fields the pipeline fills in). */
export type MediaInfo = Partial<
  Pick<
    FileMetadata,
    | "mime"
    | "takenAt"
    | "timeZone"
    | "width"
    | "height"
    | "durationSec"
    | "camera"
    | "lens"
    | "gps"
    | "exif"
    | "extra"
  >
>;

export interface Thumbnails {
  grid: Uint8Array;
  preview: Uint8Array;
}

/** A plaintext source that can be read more than once (digest pass, encryption pass, resumption). */
export interface UploadSource {
  name: string;
  size: number;
  lastModified?: number;
  mime?: string;
  /** A stable local identity (a path, a File's name+size+mtime) for resuming an interrupted upload. */
  localKey: string;
  open(): ReadableStream<Uint8Array>;
  /**
   * The keyed content digest (`contentDigest(dedupKey, open())`), computed elsewhere: the web app does it in a
   * worker so the page stays responsive. Without it the SDK reads the content itself.
   */
  digest?(dedupKey: Uint8Array): Promise<string>;
}

/** Metadata extraction and thumbnail creation are the caller's: exifr + sharp in the CLI, canvas in the web app. */
export interface MediaHooks {
  extract(source: UploadSource): Promise<{ info: MediaInfo; thumbnails: Thumbnails | null; note?: string }>;
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  avif: "image/avif",
  tif: "image/tiff",
  tiff: "image/tiff",
  bmp: "image/bmp",
  dng: "image/x-adobe-dng",
  cr2: "image/x-canon-cr2",
  nef: "image/x-nikon-nef",
  arw: "image/x-sony-arw",
};
const VIDEO_TYPES: Record<string, string> = {
  mp4: "video/mp4",
  m4v: "video/x-m4v",
  mov: "video/quicktime",
  webm: "video/webm",
  mkv: "video/x-matroska",
  avi: "video/x-msvideo",
  "3gp": "video/3gpp",
  mts: "video/mp2t",
};

/** MIME type from a file name's extension; application/octet-stream when unknown. */
export function mimeFromName(name: string): string {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  return IMAGE_TYPES[ext] ?? VIDEO_TYPES[ext] ?? "application/octet-stream";
}

export function isMediaMime(mime: string): boolean {
  return mime.startsWith("image/") || mime.startsWith("video/");
}
