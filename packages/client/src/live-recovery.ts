import { ciphertextDigest } from "@umbra/crypto/sharing";
import {
  parseStreamHeader,
  STREAM_HEADER_LENGTH,
  StreamSegmentOpener,
  StreamSegmentSealer,
} from "@umbra/crypto/stream";
import { FileRecord as FileRecordSchema, LIVE_OFFSET_HEADER, LiveFilesResponse } from "@umbra/protocol";
import { apiErrorFrom } from "./http.js";
import { contentAssociatedData } from "./keys.js";
import { type LiveDeps, liveSignedPlacement, signPlacement } from "./live-placement.js";
import { finishBody } from "./live-upload.js";
import type { FileMetadata } from "./metadata.js";

export interface LiveRecoveryOptions {
  /** Only recordings silent for at least this long (default 60 s: one still recording elsewhere is left alone). */
  olderThanMs?: number;
}

export interface RecoveredRecording {
  fileId: string;
  name: string;
  /** Plaintext bytes kept (whole segments that reached the server). */
  keptBytes: number;
  /** Segments holding recorded bytes. */
  segments: number;
  /** False when the recording could not be made a normal file (the reason is in `error`). */
  finalized: boolean;
  error?: unknown;
}

/**
 * Finishes this account's interrupted recordings (SPEC §6.11): every whole segment on the server is kept, the
 * zero final segment is appended at the next index (the same bytes whoever seals it), and the metadata gets
 * the kept size. Works from any of the owner's devices: the file key and the stream header are all it needs.
 */
export async function recoverLiveUploads(
  deps: LiveDeps,
  options: LiveRecoveryOptions = {},
): Promise<RecoveredRecording[]> {
  const olderThan = options.olderThanMs ?? 60_000;
  const { files } = await deps.http.json("/api/live", LiveFilesResponse);
  const out: RecoveredRecording[] = [];
  for (const file of files) {
    if (Date.now() - Date.parse(file.lastAppendAt) < olderThan) continue;
    out.push(await recoverOne(deps, file.id, file.length));
  }
  return out;
}

async function recoverOne(deps: LiveDeps, fileId: string, length: number): Promise<RecoveredRecording> {
  const { http, library } = deps;
  const entry = await library.file(fileId);
  const result: RecoveredRecording = {
    fileId,
    name: entry.metadata.name,
    keptBytes: 0,
    segments: 0,
    finalized: false,
  };
  try {
    const fileKey = await library.fileKey(entry.record);
    const associatedData = contentAssociatedData(fileId);
    let contentLength = length;
    let header: Uint8Array;
    if (length > 0 && length < STREAM_HEADER_LENGTH) throw new Error("a partial header is on the server");
    if (length === 0) {
      // Died before its header landed: start the stream now (nothing was recorded).
      const sealer = await StreamSegmentSealer.create(fileKey, { associatedData });
      header = sealer.header;
      contentLength = await appendAt(deps, fileId, 0, header.subarray(0, STREAM_HEADER_LENGTH));
    } else {
      header = await readBytes(deps, fileId, 0, STREAM_HEADER_LENGTH);
    }
    const segmentSize = parseStreamHeader(header).segmentSize;
    const segmentLength = segmentSize + 16;
    const body = contentLength - STREAM_HEADER_LENGTH;
    const whole = Math.floor(body / segmentLength);
    const rest = body - whole * segmentLength;
    let size = whole * segmentSize;
    let segments = whole;
    if (rest === 16 || rest === 17) {
      // The final segment landed (the uploader died just before its finish): check it, keep it.
      const opener = await StreamSegmentOpener.create(fileKey, { associatedData, header });
      const final = await readBytes(deps, fileId, contentLength - rest, rest);
      if (!(await opener.open(whole, final)).isLast)
        throw new Error("its last bytes are not a final segment");
      if (whole > 0) {
        // The last data segment was zero-filled at the stop: its trailing zeros are taken as padding.
        const last = await opener.open(
          whole - 1,
          await readBytes(deps, fileId, contentLength - rest - segmentLength, segmentLength),
        );
        let end = last.plaintext.length;
        while (end > 0 && last.plaintext[end - 1] === 0) end--;
        size -= segmentSize - end;
      }
    } else if (rest !== 0) {
      throw new Error(`the server holds ${rest} bytes that are not a whole segment`);
    } else {
      const sealer = await StreamSegmentSealer.create(fileKey, { associatedData, header });
      contentLength = await appendAt(deps, fileId, contentLength, await sealer.sealFinalSegment(whole));
    }
    segments = whole;
    const previous = entry.metadata;
    const extra = { ...(previous.extra as Record<string, unknown> | undefined) };
    delete extra.live;
    const metadata: FileMetadata = {
      ...previous,
      size,
      extra: { ...extra, recordedLive: true, interrupted: true },
    };
    const finish = await finishBody(fileKey, fileId, metadata, contentLength);
    const albumId = (previous.extra as { liveAlbumId?: unknown } | undefined)?.liveAlbumId;
    if (typeof albumId === "string") {
      const placement = await liveSignedPlacement(deps, albumId, fileId);
      if (placement) {
        const content = await http.send(`/api/files/${encodeURIComponent(fileId)}/content`);
        if (!content.ok || !content.body) throw await apiErrorFrom(content);
        finish.contentDigest = await ciphertextDigest(content.body);
        finish.signature = await signPlacement(
          deps,
          fileId,
          albumId,
          placement.wrappedFileKey,
          finish.contentDigest,
        );
      }
    }
    const record = await http.json(`/api/live/${fileId}/finish`, FileRecordSchema, { body: finish });
    await library.remember(record);
    await library.vouchForMetadata(fileId, record.encryptedMetadata);
    await library.flush();
    Object.assign(result, { keptBytes: size, segments, finalized: true });
  } catch (error) {
    result.error = error;
  }
  return result;
}

async function readBytes(deps: LiveDeps, fileId: string, start: number, count: number): Promise<Uint8Array> {
  const response = await deps.http.send(`/api/files/${encodeURIComponent(fileId)}/content`, {
    headers: { range: `bytes=${start}-${start + count - 1}` },
  });
  if (!response.ok) throw await apiErrorFrom(response);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length !== count) throw new Error(`the server sent ${bytes.length} bytes for ${count}`);
  return bytes;
}

/** One append at `offset`; resolves to the new length. */
async function appendAt(deps: LiveDeps, fileId: string, offset: number, bytes: Uint8Array): Promise<number> {
  const response = await deps.http.send(`/api/live/${encodeURIComponent(fileId)}/append`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", [LIVE_OFFSET_HEADER]: String(offset) },
    body: bytes as BodyInit,
  });
  if (!response.ok) throw await apiErrorFrom(response);
  await response.body?.cancel().catch(() => {});
  return offset + bytes.length;
}
