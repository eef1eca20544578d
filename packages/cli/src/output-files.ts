import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { access, mkdir, rename, rm, utimes } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { Writable } from "node:stream";
import type { FileMetadata } from "@umbra/client";

/** A name from decrypted metadata made safe as one path component (another device may have written it). */
export function safeFileName(name: string): string {
  const cleaned = [...name]
    .map((ch) => (ch === "/" || ch === "\\" || ch.charCodeAt(0) < 0x20 ? "_" : ch))
    .join("")
    .replace(/^\.+$/, "_")
    .trim();
  return cleaned === "" ? "unnamed" : cleaned.slice(0, 255);
}

/** The date a file belongs to: taken, else last modified, else when it was uploaded. */
export function fileDate(metadata: FileMetadata, createdAt: string): Date {
  const modified = typeof metadata.extra?.modifiedAt === "string" ? metadata.extra.modifiedAt : undefined;
  for (const candidate of [metadata.takenAt, modified, createdAt]) {
    if (!candidate) continue;
    const date = new Date(candidate);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return new Date();
}

/** DIR/YYYY/MM for a date (UTC, so the layout does not depend on the machine's time zone). */
export function datedDir(root: string, date: Date): string {
  return join(root, String(date.getUTCFullYear()), String(date.getUTCMonth() + 1).padStart(2, "0"));
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** `name.ext`, else `name (1).ext`, `name (2).ext`… whichever is free on disk and not reserved. */
export async function uniquePath(dir: string, name: string, reserved: Set<string>): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; ; n++) {
    const candidate = join(dir, n === 0 ? name : `${stem} (${n})${ext}`);
    if (!reserved.has(candidate) && !(await exists(candidate)) && !(await exists(`${candidate}.json`))) {
      reserved.add(candidate);
      return candidate;
    }
  }
}

/**
 * Writes a stream to a temp file beside `path` and renames it into place only when the stream ended
 * without error (after full authentication); on failure the partial file is removed and `path` never appears.
 */
export async function writeStreamAtomically(
  path: string,
  stream: ReadableStream<Uint8Array>,
  options: { mtime?: Date } = {},
): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.umbra-partial-${process.pid}`);
  let written = 0;
  const out = createWriteStream(partial, { flags: "w", mode: 0o600 });
  try {
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        written += chunk.length;
        controller.enqueue(chunk);
      },
    });
    await stream.pipeThrough(counter).pipeTo(Writable.toWeb(out) as WritableStream<Uint8Array>);
    if (options.mtime) await utimes(partial, options.mtime, options.mtime);
    await rename(partial, path);
    return written;
  } catch (error) {
    // The stream opens its file asynchronously: removing the partial before that open (and the close after
    // it) finished would leave a fresh empty partial behind.
    await closed(out);
    await rm(partial, { force: true });
    throw error;
  }
}

/** Resolves once the file stream has released its file (opened first if its open was still pending). */
async function closed(out: WriteStream): Promise<void> {
  if (out.closed) return;
  const done = once(out, "close").catch(() => undefined);
  out.destroy();
  await done;
}
