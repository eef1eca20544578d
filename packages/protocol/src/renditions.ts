import { z } from "zod";
import { FileId, UploadId } from "./ids.js";

/**
 * A rendition is a playable copy of a video (e.g. H.264 for an HEVC original), made and encrypted on the device
 * that uploads it (SPEC §6.10). The server stores it as one more blob of the file and learns only its padded size.
 */
export const PutRenditionBody = z.object({ uploadId: UploadId });
export type PutRenditionBody = z.infer<typeof PutRenditionBody>;

/** The stored rendition's ciphertext length in bytes. */
export const RenditionResponse = z.object({ size: z.number().int().nonnegative() });
export type RenditionResponse = z.infer<typeof RenditionResponse>;

export const RenditionParams = z.object({ id: FileId });
