import {
  type FileMetadata,
  type MediaStreamSource,
  type PublicLink,
  type RenditionInfo,
  renditionInfoOf,
} from "@umbra/client";
import { appApi } from "../api/app-api.js";
import type { LibraryItem } from "../state/media-types.js";

/** A playable copy for VideoPlayer's `rendition` (made on the device that uploaded it; see SPEC §6.10). */
export interface PlayableCopy {
  /** Shown to the user, e.g. "H.264". */
  label: string;
  load: () => Promise<MediaStreamSource>;
  /** Start with the copy: the metadata already says this browser cannot play the original's codec. */
  preferred: boolean;
}

const CODEC_LABELS: [RegExp, string][] = [
  [/^avc[13]/, "H.264"],
  [/^(hvc1|hev1)/, "HEVC"],
  [/^vp09/, "VP9"],
  [/^vp8/, "VP8"],
  [/^av01/, "AV1"],
];

/** "H.264" from `avc1.640028,mp4a.40.2`; the MIME subtype when the codecs are not given. */
export function renditionLabel(info: Pick<RenditionInfo, "codecs" | "mime">): string {
  const video = info.codecs?.split(",")[0]?.trim() ?? "";
  for (const [pattern, label] of CODEC_LABELS) if (pattern.test(video)) return label;
  return info.mime.split("/")[1]?.toUpperCase() ?? info.mime;
}

/** A `canPlayType` probe per codec name as ffprobe writes it in `extra.videoCodec` (CLI video-probe). */
const CODEC_PROBES: Record<string, string> = {
  h264: 'video/mp4; codecs="avc1.42E01E"',
  hevc: 'video/mp4; codecs="hvc1.1.6.L93.B0"',
  vp8: 'video/webm; codecs="vp8"',
  vp9: 'video/webm; codecs="vp9"',
  av1: 'video/mp4; codecs="av01.0.05M.08"',
};

/**
 * Whether this browser can play the original's video codec, as far as the metadata tells (`extra.videoCodec`);
 * undefined when it does not say. A browser without a decoder may still "play" such a file as sound only.
 */
export function originalCodecPlays(
  meta: FileMetadata,
  canPlayType: (type: string) => string,
): boolean | undefined {
  const codec = meta.extra?.videoCodec;
  if (typeof codec !== "string") return undefined;
  const probe = CODEC_PROBES[codec];
  return probe ? canPlayType(probe) !== "" : false;
}

/** The copy a file's metadata describes, loaded by `load`; undefined when it describes none. */
function playableCopy(
  fileId: string,
  meta: FileMetadata,
  load: () => Promise<MediaStreamSource>,
): PlayableCopy | undefined {
  let info: RenditionInfo | undefined;
  try {
    info = renditionInfoOf(fileId, meta);
  } catch {
    return undefined; // A malformed description: the original is offered as if there were none.
  }
  if (!info) return undefined;
  const canPlay = (type: string) => document.createElement("video").canPlayType(type);
  return { label: renditionLabel(info), load, preferred: originalCodecPlays(meta, canPlay) === false };
}

/** The playable copy of one of the user's own videos, when its metadata describes one (not for shared items). */
export function itemRendition(item: LibraryItem): PlayableCopy | undefined {
  if (item.shared) return undefined;
  return playableCopy(item.id, item.meta, () => appApi.sdk.renditions.mediaStream(item.id));
}

/** The playable copy of a public link's video, streamed from the link's rendition route with the link's key. */
export function linkRendition(link: PublicLink, fileId: string): PlayableCopy | undefined {
  const entry = link.files.find((f) => f.id === fileId);
  return entry && playableCopy(fileId, entry.metadata, () => link.renditionStream(fileId));
}

/** The playable copy of a video in an album shared with us, from its verified placement's metadata. */
export function sharedRendition(
  albumId: string,
  fileId: string,
  meta: FileMetadata | undefined,
): PlayableCopy | undefined {
  return meta && playableCopy(fileId, meta, () => appApi.sdk.renditions.sharedMediaStream(albumId, fileId));
}
