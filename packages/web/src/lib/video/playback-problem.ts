import { currentLocale } from "../i18n/current-locale.js";
import type { MessageName } from "../i18n/en.js";
import type { MessageParams } from "../i18n/format-message.js";
import { translate } from "../i18n/translate.js";
import type { MediaFailure } from "./range-response.js";

/** What the player shows when a video does not play, and whether offering the download makes sense. */
export interface PlaybackProblem {
  kind: "integrity" | "unsupported" | "refused" | "error";
  /** Stable code shown with the message (TAMPERED, TRUNCATED, FORBIDDEN, MEDIA_ERR_DECODE…). */
  code: string;
  /** In the language chosen when the problem arose. */
  message: string;
}

const say = (name: MessageName, params?: MessageParams) => translate(currentLocale(), name, params);

const STATUS_CODES: Record<number, string> = {
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  410: "GONE",
};

/** MediaError codes (HTML): 1 aborted, 2 network, 3 decode, 4 source not supported. */
const MEDIA_ERROR_NAMES: Record<number, string> = {
  1: "MEDIA_ERR_ABORTED",
  2: "MEDIA_ERR_NETWORK",
  3: "MEDIA_ERR_DECODE",
  4: "MEDIA_ERR_SRC_NOT_SUPPORTED",
};

export function unsupportedProblem(mime: string, detail?: string): PlaybackProblem {
  return {
    kind: "unsupported",
    code: detail ?? "UNSUPPORTED_FORMAT",
    message: say("video.problem.unsupported", { format: mime || say("video.problem.unknownFormat") }),
  };
}

/**
 * The problem behind a media element's error: the worker's report comes first (an integrity failure must never
 * look like a format problem), then the element's own code.
 */
export function playbackProblem(
  failure: MediaFailure | null,
  mediaErrorCode: number | null,
  mime: string,
): PlaybackProblem {
  if (failure?.kind === "integrity") {
    return {
      kind: "integrity",
      code: failure.code,
      message: say("video.problem.integrity"),
    };
  }
  if (failure?.kind === "status") {
    const code = STATUS_CODES[failure.status];
    if (!code)
      return {
        kind: "error",
        code: `HTTP_${failure.status}`,
        message: say("video.problem.serverError"),
      };
    const message =
      failure.status === 403
        ? say("video.problem.forbidden")
        : failure.status === 401
          ? say("video.problem.sessionEnded")
          : say("video.problem.gone");
    return { kind: "refused", code, message };
  }
  if (failure?.kind === "network")
    return {
      kind: "error",
      code: "NETWORK",
      message: say("video.problem.network"),
    };
  const name = mediaErrorCode === null ? "MEDIA_ERR" : (MEDIA_ERROR_NAMES[mediaErrorCode] ?? "MEDIA_ERR");
  if (mediaErrorCode === 3 || mediaErrorCode === 4) return unsupportedProblem(mime, name);
  return { kind: "error", code: name, message: say("video.problem.loadFailed") };
}

const INTEGRITY_CODES = new Set(["TAMPERED", "TRUNCATED", "UNSUPPORTED_VERSION"]);

/**
 * The problem behind a failure to start (the key, the header): integrity and refusals as above, else as the error
 * says (in its own words: the SDK's messages are English).
 */
export function problemFromError(error: unknown, mime: string): PlaybackProblem {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && INTEGRITY_CODES.has(code))
    return playbackProblem({ kind: "integrity", code, message }, null, mime);
  const status = Object.entries(STATUS_CODES).find(([, name]) => name === code)?.[0];
  if (status) return playbackProblem({ kind: "status", status: Number(status) }, null, mime);
  return { kind: "error", code: typeof code === "string" ? code : "ERROR", message };
}

/**
 * Whether to try playing `mime` at all. `canPlayType` is "" for formats the browser surely lacks; QuickTime is
 * tried anyway (its H.264 content usually plays although the container type is not claimed).
 */
export function mayPlay(mime: string, canPlayType: (type: string) => string): boolean {
  if (!mime.startsWith("video/") && !mime.startsWith("audio/")) return false;
  return mime === "video/quicktime" || canPlayType(mime) !== "";
}
