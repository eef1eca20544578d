import { z } from "zod";
import { AlbumId, base64Url, FileId } from "./ids.js";

export const AlbumKind = z.enum(["library", "user"]);
export type AlbumKind = z.infer<typeof AlbumKind>;

export const AlbumRecord = z.object({
  id: AlbumId,
  kind: AlbumKind,
  encryptedName: base64Url(4096),
  wrappedAlbumKey: base64Url(1024),
  createdAt: z.string(),
  updatedAt: z.string(),
  seq: z.number().int(),
  /** Generation of `wrappedAlbumKey` (SPEC §17.6); 1 until the album's key is rotated. */
  keyVersion: z.number().int().min(1).optional(),
});
export type AlbumRecord = z.infer<typeof AlbumRecord>;

export const AlbumsResponse = z.object({ albums: z.array(AlbumRecord) });
export type AlbumsResponse = z.infer<typeof AlbumsResponse>;
export const CreateAlbumBody = z.object({
  id: AlbumId,
  encryptedName: base64Url(4096),
  wrappedAlbumKey: base64Url(1024),
});
export type CreateAlbumBody = z.infer<typeof CreateAlbumBody>;
export const RenameAlbumBody = z.object({ encryptedName: base64Url(4096) });
export type RenameAlbumBody = z.infer<typeof RenameAlbumBody>;
/** The owner re-wraps the current album key (a rotated album's wrap moving to the generation-bound form, SPEC §4.1). */
export const RewrapAlbumKeyBody = z.object({
  keyVersion: z.number().int().min(1),
  wrappedAlbumKey: base64Url(1024),
});
export type RewrapAlbumKeyBody = z.infer<typeof RewrapAlbumKeyBody>;
/** In a shared album the uploader signs the placement (SPEC §17.4): key version, content digest, signature. */
export const AddToAlbumBody = z.object({
  wrappedFileKey: base64Url(1024),
  keyVersion: z.number().int().min(1).optional(),
  contentDigest: base64Url(43, 43).optional(),
  signature: base64Url(86, 86).optional(),
});
export type AddToAlbumBody = z.infer<typeof AddToAlbumBody>;

export const AlbumIdParams = z.object({ id: AlbumId });
export const AlbumFileParams = z.object({ id: AlbumId, fileId: FileId });
