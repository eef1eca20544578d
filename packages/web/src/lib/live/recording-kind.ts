import type { LibraryItem } from "../state/media-types.js";
import { isWebm } from "./recording-format.js";
import { parseMediaIndex } from "./webm-index.js";

/**
 * Whether the viewer plays this item with the LivePlayer (Media Source Extensions) rather than as an ordinary
 * video: a recording still live, one finished with a seek index, or a recovered WebM recording (no index, no
 * duration of its own: read in order).
 */
export function playsAsRecording(item: Pick<LibraryItem, "live" | "meta">): boolean {
  if (item.live) return true;
  const extra = item.meta.extra;
  if (parseMediaIndex(extra?.mediaIndex)) return true;
  return extra?.recordedLive === true && isWebm(item.meta.mime);
}
