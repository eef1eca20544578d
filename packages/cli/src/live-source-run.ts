import { execFile } from "node:child_process";
import { type FileHandle, open, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { FileEntry, LiveFinishOptions, LiveUpload, UmbraClient } from "@umbra/client";
import { mimeFromName } from "@umbra/client";
import { nodeMediaHooks } from "./media.js";

const READ_BYTES = 1024 * 1024;
/** How often a followed file's size is looked at while it does not grow. */
const FOLLOW_POLL_MS = 200;

export interface LiveRunOptions {
  albumId?: string;
  /** Set once the user asked to stop (SIGINT/SIGTERM): the rest is read and the recording finished. */
  stop: AbortSignal;
  say(line: string): void;
}

async function startUpload(client: UmbraClient, name: string, options: LiveRunOptions, takenAt?: string) {
  const upload = await client.live.start({
    albumId: options.albumId,
    name,
    mime: mimeFromName(name),
    takenAt,
  });
  options.say(`live ${name} (${upload.fileId}): uploading while it is written`);
  return upload;
}

/** Waits `ms`, or less when asked to stop. */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    stop.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      stop.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Appends what the file holds past `position`; resolves to the new position. */
async function appendGrowth(handle: FileHandle, position: number, upload: LiveUpload): Promise<number> {
  let at = position;
  for (;;) {
    const buffer = new Uint8Array(READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, at);
    if (bytesRead === 0) return at;
    await upload.append(buffer.subarray(0, bytesRead));
    at += bytesRead;
  }
}

/**
 * `upload --follow FILE`: uploads a file that is still being written, segment by segment as it grows; finishes
 * when asked to stop or when the file has not grown for `idleExitSeconds`.
 */
export async function followFile(
  client: UmbraClient,
  path: string,
  name: string,
  idleExitSeconds: number,
  options: LiveRunOptions,
): Promise<FileEntry> {
  const handle = await open(path, "r");
  try {
    const started = await stat(path);
    const upload = await startUpload(
      client,
      name,
      options,
      new Date(started.birthtimeMs || started.mtimeMs).toISOString(),
    );
    let position = 0;
    let lastGrowth = Date.now();
    while (!options.stop.aborted) {
      const grown = await appendGrowth(handle, position, upload);
      if (grown > position) {
        position = grown;
        lastGrowth = Date.now();
      } else if (Date.now() - lastGrowth >= idleExitSeconds * 1000) {
        options.say(`${name} has not grown for ${idleExitSeconds} s: finishing`);
        break;
      }
      await pause(FOLLOW_POLL_MS, options.stop);
    }
    position = await appendGrowth(handle, position, upload);
    return await finishWithPoster(upload, path, name);
  } finally {
    await handle.close();
  }
}

/** `upload --stdin --name N`: uploads a pipe (ffmpeg's output, say) as it arrives; finishes at its end. */
export async function uploadStdin(
  client: UmbraClient,
  input: Readable,
  name: string,
  options: LiveRunOptions,
): Promise<FileEntry> {
  const upload = await startUpload(client, name, options, new Date().toISOString());
  const stopped = new Promise<void>((resolve) =>
    options.stop.addEventListener("abort", () => resolve(), { once: true }),
  );
  const iterator = input[Symbol.asyncIterator]();
  for (;;) {
    const next = await Promise.race([
      iterator.next(),
      stopped.then(() => ({ done: true, value: undefined })),
    ]);
    if (next.done) break;
    await upload.append(new Uint8Array(next.value as Buffer));
  }
  return finishWithPoster(upload, undefined, name);
}

/** The finish, with a poster frame (ffmpeg) and duration (ffprobe, else ffmpeg) when those are installed. */
async function finishWithPoster(
  upload: LiveUpload,
  path: string | undefined,
  name: string,
): Promise<FileEntry> {
  await upload.flush();
  const final: LiveFinishOptions = {};
  if (path !== undefined && mimeFromName(name).startsWith("video/")) {
    const extracted = await nodeMediaHooks(() => path).extract({
      name,
      size: 0,
      mime: mimeFromName(name),
      localKey: path,
      open: () => new ReadableStream(),
    });
    if (extracted.thumbnails) final.thumbnails = extracted.thumbnails;
    const duration = (await probeDuration(path)) ?? extracted.info.durationSec;
    if (duration !== undefined) final.durationSec = duration;
  }
  return upload.finish(final);
}

/** The container's duration from ffprobe, when installed and the container records one. */
function probeDuration(path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(
      "ffprobe",
      ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
      { timeout: 60_000 },
      (error, stdout) => {
        const value = Number.parseFloat(String(stdout).trim());
        resolve(error || !Number.isFinite(value) ? undefined : value);
      },
    );
  });
}
