import { rm } from "node:fs/promises";
import path from "node:path";
import type { Server as TusServer } from "@tus/server";
import { HttpError, notFound } from "../http-error.js";
import type { FinishedUpload } from "../store/files.js";

/** The tus upload's bytes once every one arrived: 404 when tus has no such upload, 409 while it is unfinished. */
export async function finishedUpload(tus: TusServer, uploadId: string): Promise<FinishedUpload> {
  const upload = await tus.datastore.getUpload(uploadId).catch(() => null);
  if (!upload) throw notFound("upload");
  if (upload.size === undefined || upload.offset !== upload.size) {
    throw new HttpError("UPLOAD_INCOMPLETE", "the upload is not finished");
  }
  const uploadPath = upload.storage?.path;
  if (!uploadPath) throw new Error("upload has no local path");
  return { id: uploadId, size: upload.offset, path: uploadPath };
}

/** The tus FileStore keeps "<id>.json" beside the upload; once committed, the upload no longer exists. */
export async function forgetCommittedUpload(uploadsDir: string, uploadId: string): Promise<void> {
  await rm(path.join(uploadsDir, `${uploadId}.json`), { force: true });
}

/** Removes uploads' bytes (an account being deleted); one already gone is no error. */
export async function removeUploadBytes(tus: TusServer, uploadIds: string[]): Promise<void> {
  for (const id of uploadIds) await tus.datastore.remove(id).catch(() => undefined);
}
