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
export const AddToAlbumBody = z.object({ wrappedFileKey: base64Url(1024) });
export type AddToAlbumBody = z.infer<typeof AddToAlbumBody>;

export const AlbumIdParams = z.object({ id: AlbumId });
export const AlbumFileParams = z.object({ id: AlbumId, fileId: FileId });
