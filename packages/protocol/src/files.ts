import { z } from "zod";
import { AlbumId, base64Url, FileId, UploadId } from "./ids.js";

/** Thumbnails are at most 2 MiB of ciphertext: 2 MiB in base64url is ceil(2 MiB * 4 / 3) characters. */
export const MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024;
export const THUMBNAIL_CHARS = Math.ceil((MAX_THUMBNAIL_BYTES * 4) / 3);
export const MAX_METADATA_CHARS = 64 * 1024;

export const WrappedKey = base64Url(1024);
export const EncryptedMetadata = base64Url(MAX_METADATA_CHARS);
export const ThumbnailVariant = z.enum(["grid", "preview"]);
export type ThumbnailVariant = z.infer<typeof ThumbnailVariant>;

export const CommitFileBody = z.object({
  id: FileId,
  uploadId: UploadId,
  albumId: AlbumId,
  wrappedFileKey: WrappedKey,
  encryptedMetadata: EncryptedMetadata,
  thumbnails: z.object({ grid: base64Url(THUMBNAIL_CHARS), preview: base64Url(THUMBNAIL_CHARS) }),
});
export type CommitFileBody = z.infer<typeof CommitFileBody>;

export const FileRecord = z.object({
  id: FileId,
  /** keyVersion: the album key generation that wraps the file key (absent means 1). */
  albums: z.array(
    z.object({
      albumId: AlbumId,
      wrappedFileKey: WrappedKey,
      keyVersion: z.number().int().min(1).optional(),
    }),
  ),
  encryptedMetadata: EncryptedMetadata,
  contentSize: z.number().int(),
  thumbnails: z.object({ grid: z.number().int(), preview: z.number().int() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  trashedAt: z.string().nullable(),
  seq: z.number().int(),
  /** Present while the file is a live recording (docs/PROTOCOL.md, "Live uploads"); contentSize grows meanwhile. */
  live: z.literal(true).optional(),
});
export type FileRecord = z.infer<typeof FileRecord>;

export const UpdateFileBody = z.object({ encryptedMetadata: EncryptedMetadata });
export type UpdateFileBody = z.infer<typeof UpdateFileBody>;
export const EmptyTrashResponse = z.object({ deleted: z.number().int() });
export type EmptyTrashResponse = z.infer<typeof EmptyTrashResponse>;

export const FileIdParams = z.object({ id: FileId });
export const ThumbnailParams = z.object({ id: FileId, variant: ThumbnailVariant });

/** At most this many thumbnails in one `POST /api/thumbnails` (docs/PROTOCOL.md, "Thumbnail batches"). */
export const THUMBNAIL_BATCH_MAX = 32;
/** In a batch answer, the length that stands for a thumbnail the server does not serve (no such file, no access). */
export const THUMBNAIL_BATCH_ABSENT = 0xffffffff;
export const ThumbnailBatchBody = z.object({
  variant: ThumbnailVariant,
  ids: z
    .array(FileId)
    .min(1)
    .max(THUMBNAIL_BATCH_MAX)
    .refine((ids) => new Set(ids).size === ids.length, "ids must not repeat"),
});
export type ThumbnailBatchBody = z.infer<typeof ThumbnailBatchBody>;
