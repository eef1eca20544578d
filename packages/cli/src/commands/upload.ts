import { open } from "node:fs/promises";
import { ProgressTracker, type UmbraClient, type UploadSource } from "@umbra/client";
import { CliError } from "../cli-error.js";
import { fileSource, type GlobalOptions, unlockedClient } from "../context.js";
import { type LiveFlags, liveModeOf, runLiveMode, staleSecondsOf } from "../live-command.js";
import { recoverInterrupted } from "../live-recover.js";
import { nodeMediaHooks } from "../media.js";
import { formatBytes, ProgressView } from "../progress-render.js";
import { walkPaths } from "../walk.js";
import { findOwnAlbum } from "./library.js";
import { resolveSharedAlbum } from "./sharing.js";

export async function uploadCommand(
  global: GlobalOptions & { passwordStdin?: boolean },
  paths: string[],
  options: { album?: string; jobs?: string; all?: boolean } & LiveFlags,
): Promise<void> {
  const live = liveModeOf(paths, options);
  if (live) {
    const { client } = await unlockedClient(global);
    await client.library.sync();
    const failed = await recoverInterrupted(client, staleSecondsOf(options));
    if (live.kind === "recover") {
      if (failed > 0) throw new CliError("INVALID_RESPONSE", `${failed} recording(s) could not be recovered`);
      return;
    }
    await runLiveMode(client, live, options.album ? await uploadAlbum(client, options.album) : undefined);
    return;
  }
  if (paths.length === 0)
    throw new CliError("INVALID_INPUT", "upload needs PATH… (or --follow, --stdin, --recover)");
  const jobs = options.jobs === undefined ? 3 : Number(options.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16)
    throw new CliError("INVALID_INPUT", "--jobs must be 1 to 16");
  const files = await walkPaths(paths, { all: Boolean(options.all) }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new CliError(
        "INVALID_INPUT",
        `Cannot read ${error.path ?? paths.join(" ")}: ${error.code ?? error.message}`,
      );
    },
  );
  if (files.length === 0) {
    process.stdout.write(
      options.all ? "Nothing to upload.\n" : "No photos or videos found (use --all for other files).\n",
    );
    return;
  }
  const { client } = await unlockedClient(global);
  const library = client.library;
  await library.sync();
  // Recordings a killed `upload --follow` (or a closed tab) left live are finished first, and said so.
  await recoverInterrupted(client, staleSecondsOf(options));
  const albumId = options.album ? await uploadAlbum(client, options.album) : undefined;
  const sources = files.map((file) => ({ ...fileSource(file), open: () => openFileBytes(file.path) }));
  const pathOf = new Map<UploadSource, string>(sources.map((s, i) => [s, files[i]!.path]));
  const progress = new ProgressTracker();
  const view = new ProgressView(process.stderr, () => progress.snapshot());
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const chunkSize = Number(process.env.UMBRA_UPLOAD_CHUNK_BYTES) || undefined;
  // Plain progress for logs and pipes: at most one line per second.
  let lastPlain = 0;
  const plainTimer = view.interactive
    ? undefined
    : setInterval(() => {
        const s = progress.snapshot();
        if (s.bytesDone === lastPlain) return;
        lastPlain = s.bytesDone;
        process.stdout.write(
          `progress ${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)} ${s.filesDone}/${s.filesTotal} files\n`,
        );
      }, 1000);
  view.start();
  const say = (line: string) => (view.interactive ? view.log(line) : process.stdout.write(`${line}\n`));
  let summary: Awaited<ReturnType<typeof client.upload>>;
  try {
    summary = await client.upload(
      sources,
      nodeMediaHooks((s) => pathOf.get(s) ?? ""),
      {
        albumId,
        jobs,
        chunkSize,
        progress,
        signal: controller.signal,
        onEvent: (event) => {
          const name = pathOf.get(event.source) ?? event.source.name;
          if (event.type === "uploaded") say(`uploaded ${name} (${event.fileId})`);
          else if (event.type === "skipped") say(`skipped ${name}: duplicate of ${event.existingId}`);
          else if (event.type === "note") say(`note: ${name}: ${event.message}`);
          else if (event.type === "resumed") say(`resuming ${name} at byte ${event.offset}`);
          else if (event.type === "failed") {
            const error = event.error as { code?: string; message?: string };
            say(`failed ${name}: ${error.message ?? String(event.error)}`);
          }
        },
      },
    );
  } finally {
    view.stop();
    if (plainTimer) clearInterval(plainTimer);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (controller.signal.aborted) {
    throw new CliError("ABORTED", "Upload interrupted: run the same command again to resume");
  }
  process.stdout.write(
    `${summary.uploaded.length} uploaded, ${summary.skipped.length} skipped as duplicates, ${summary.failed.length} failed\n`,
  );
  if (summary.failed.length > 0) {
    // The first failure decides the exit code (quota, network…); every failure was printed above.
    throw summary.failed[0]!.error;
  }
}

/**
 * The album `--album` names: one of the user's own, else one shared with them (the SDK places the files there,
 * signed), else a new album of that name, said so on stderr.
 */
async function uploadAlbum(client: UmbraClient, name: string): Promise<string> {
  const { library } = client;
  const existing = await findOwnAlbum(library, name);
  if (existing) return existing.id;
  const shared = await resolveSharedAlbum(client, name).catch((error: unknown) => {
    if (error instanceof CliError && error.code === "NOT_FOUND") return undefined;
    throw error;
  });
  if (shared) return shared.id;
  const created = await library.createAlbum(name);
  process.stderr.write(`created album "${name}"\n`);
  return created.id;
}

/** Bytes per file read: large reads mean fewer allocations and stream hops per byte. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * A file as a WHATWG byte stream read straight into the consumer's buffer: a BYOB reader (the duplicate
 * digest pass) reuses one buffer for the whole file, a default reader gets fresh 1 MiB chunks. Unlike
 * Readable.toWeb(createReadStream()), which copies every chunk once more, nothing is copied or allocated
 * beyond the chunk itself (the copies and the garbage they made were a large part of upload CPU).
 */
export function openFileBytes(path: string): ReadableStream<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let position = 0;
  const closeHandle = async () => {
    const h = handle;
    handle = undefined;
    await h?.close();
  };
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: READ_CHUNK_BYTES,
    async start() {
      handle = await open(path, "r");
    },
    async pull(controller) {
      // With autoAllocateChunkSize there is always a request, for BYOB and default readers alike.
      const request = controller.byobRequest!;
      const view = request.view as Uint8Array;
      const { bytesRead } = await handle!.read(view, 0, view.byteLength, position);
      if (bytesRead === 0) {
        await closeHandle();
        controller.close();
        request.respond(0);
        return;
      }
      position += bytesRead;
      request.respond(bytesRead);
    },
    cancel: closeHandle,
  });
}
