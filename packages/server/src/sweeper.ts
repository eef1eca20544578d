import fs from "node:fs/promises";
import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import { liveDataDir } from "./blob-response/send-live.js";
import type { AppContext } from "./context.js";
import { blobIds } from "./storage/blob-ids.js";
import { deleteFiles } from "./store/file-deletion.js";
import { allFiles, allUploads, deleteExpiredSessions, trashedBefore } from "./store/sweep-queries.js";
import { removeUpload } from "./store/uploads.js";

export interface SweepReport {
  expiredUploads: number;
  orphanUploads: number;
  orphanBlobs: number;
  danglingFiles: number;
  trashDeleted: number;
  orphanLiveFiles: number;
}

/**
 * Reconciles rows, pending uploads and blobs after a crash, and applies expiry. Rule: the database decides;
 * a blob or upload file without a row is removed once older than the grace period (younger ones may belong
 * to a commit in flight in another process), a file row without its content blob is deleted with a tombstone.
 */
export async function sweep(ctx: AppContext, log?: FastifyBaseLogger): Promise<SweepReport> {
  const { db, config } = ctx;
  const report: SweepReport = {
    expiredUploads: 0,
    orphanUploads: 0,
    orphanBlobs: 0,
    danglingFiles: 0,
    trashDeleted: 0,
    orphanLiveFiles: 0,
  };
  const now = Date.now();
  const graceCutoff = now - config.sweepGraceMs;

  await deleteExpiredSessions(db);

  // Trash older than UMBRA_TRASH_DAYS.
  const trashCutoff = new Date(now - config.trashMs).toISOString();
  for (const [userId, ids] of await trashedBefore(db, trashCutoff))
    report.trashDeleted += await deleteFiles(db, ctx.blobs, userId, ids);

  // Pending uploads: expired, or whose bytes are gone.
  const uploadCutoff = new Date(now - config.uploadExpiryMs).toISOString();
  const uploads = await allUploads(db);
  const liveUploads = new Set<string>();
  for (const upload of uploads) {
    const expired = upload.created_at <= uploadCutoff;
    const exists = await fs
      .stat(path.join(ctx.uploadsDir, upload.id))
      .then(() => true)
      .catch(() => false);
    const stale = !exists && Date.parse(upload.created_at) < graceCutoff;
    if (expired || stale) {
      await removeUpload(db, upload.id);
      await removeUploadFiles(ctx.uploadsDir, upload.id);
      report.expiredUploads += 1;
    } else {
      liveUploads.add(upload.id);
    }
  }
  for (const name of await fs.readdir(ctx.uploadsDir).catch(() => [] as string[])) {
    const id = name.replace(/\.json$/, "");
    if (liveUploads.has(id)) continue;
    const stats = await fs.stat(path.join(ctx.uploadsDir, name)).catch(() => null);
    if (stats && stats.mtimeMs < graceCutoff) {
      await fs.rm(path.join(ctx.uploadsDir, name), { force: true, recursive: true });
      report.orphanUploads += 1;
    }
  }

  // Blobs without a file row.
  const files = await allFiles(db);
  const blobKeys = new Set(files.map((f) => f.blob_key));
  for await (const blob of ctx.blobs.list()) {
    const key = blob.id.split(".")[0]!;
    if (!blobKeys.has(key) && blob.modifiedAt.getTime() < graceCutoff) {
      await ctx.blobs.delete(blob.id);
      report.orphanBlobs += 1;
    }
  }

  // Live recordings keep their bytes in the live folder however long they are idle (GET /api/live lists stale
  // ones for their owner to finish); bytes there without a live row (deleted, or a finish that crashed) go.
  const liveIds = new Set(files.filter((f) => f.live_appended_at != null).map((f) => f.id));
  const liveDir = liveDataDir(config.dataDir);
  for (const name of await fs.readdir(liveDir).catch(() => [] as string[])) {
    if (liveIds.has(name)) continue;
    const stats = await fs.stat(path.join(liveDir, name)).catch(() => null);
    if (stats && stats.mtimeMs < graceCutoff) {
      await fs.rm(path.join(liveDir, name), { force: true });
      report.orphanLiveFiles += 1;
    }
  }

  // File rows whose content blob is gone can never be served again (a live file's content is not a blob yet).
  for (const file of files) {
    if (file.live_appended_at != null) continue;
    if (!(await ctx.blobs.exists(blobIds(file.blob_key).content))) {
      report.danglingFiles += await deleteFiles(db, ctx.blobs, file.user_id, [file.id]);
    }
  }
  if (Object.values(report).some((n) => n > 0)) log?.info({ sweep: report }, "sweeper");
  return report;
}

async function removeUploadFiles(dir: string, id: string): Promise<void> {
  await fs.rm(path.join(dir, id), { force: true });
  await fs.rm(path.join(dir, `${id}.json`), { force: true });
}
