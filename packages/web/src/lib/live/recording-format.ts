/**
 * What a recording is written as. WebM first: its clusters can be indexed while recording (webm-index.ts), so the
 * finished file seeks; VP8 before VP9 because it costs less CPU to encode in real time on a small machine.
 * MP4 (fragmented, from Chromium) is the fallback and plays, but gets no index.
 */
export const RECORDING_MIME_TYPES = [
  "video/webm;codecs=vp8,opus",
  "video/webm;codecs=vp9,opus",
  "video/webm",
  "video/mp4;codecs=avc1,opus",
  "video/mp4",
] as const;

/** The first type `isSupported` accepts, or undefined when none is (the browser cannot record video). */
export function pickRecordingMime(isSupported: (mime: string) => boolean): string | undefined {
  return RECORDING_MIME_TYPES.find((mime) => isSupported(mime));
}

/** The container of a recording's MIME type, as the metadata stores it (no codecs parameter). */
export function containerOf(mime: string): string {
  return mime.split(";")[0]!.trim().toLowerCase();
}

export function isWebm(mime: string): boolean {
  return containerOf(mime) === "video/webm";
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "Recording 2026-11-29 14:02", in local time: what the user sees in the library and in recovery toasts. */
export function recordingTitle(at: Date): string {
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return `Recording ${day} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The file name stored in the metadata: the title and the container's extension. */
export function recordingFileName(at: Date, mime: string): string {
  return `${recordingTitle(at)}.${isWebm(mime) ? "webm" : "mp4"}`;
}

/** A file name without its extension, for messages about recordings. */
export function displayName(fileName: string): string {
  return fileName.replace(/\.(webm|mp4)$/i, "");
}

/** "12 s", "3 min 4 s", "1 h 2 min": how much of a recording was kept. */
export function describeSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  return m % 60 === 0 ? `${Math.floor(m / 60)} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
