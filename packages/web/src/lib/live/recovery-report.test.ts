import { describe, expect, it } from "vitest";
import { describeSeconds, pickRecordingMime, recordingFileName, recordingTitle } from "./recording-format.js";
import { playsAsRecording } from "./recording-kind.js";
import { recoveryMessage } from "./recovery-report.js";

describe("recovery messages", () => {
  it("names the recording and says how much was kept", () => {
    expect(
      recoveryMessage({
        name: "Recording 2026-11-29 14:02.webm",
        keptBytes: 900_000,
        finalized: true,
        keptSeconds: 12.2,
      }),
    ).toBe("Recovered recording “Recording 2026-11-29 14:02”: 12 s kept (the recording was interrupted)");
    expect(recoveryMessage({ name: "Clip.webm", keptBytes: 3 * 1024 * 1024, finalized: true })).toBe(
      "Recovered recording “Clip”: 3.0 MB kept (the recording was interrupted)",
    );
    expect(recoveryMessage({ name: "Clip.webm", keptBytes: 0, finalized: true })).toMatch(/nothing was kept/);
    expect(recoveryMessage({ name: "Clip.webm", keptBytes: 10, finalized: false })).toMatch(/try again/);
  });
  it("describes lengths in words", () => {
    expect(describeSeconds(0.4)).toBe("0 s");
    expect(describeSeconds(59)).toBe("59 s");
    expect(describeSeconds(60)).toBe("1 min");
    expect(describeSeconds(184)).toBe("3 min 4 s");
    expect(describeSeconds(3720)).toBe("1 h 2 min");
  });
});

describe("recording formats", () => {
  it("prefers VP8 WebM and falls back to MP4", () => {
    expect(pickRecordingMime(() => true)).toBe("video/webm;codecs=vp8,opus");
    expect(pickRecordingMime((m) => m.startsWith("video/mp4"))).toBe("video/mp4;codecs=avc1,opus");
    expect(pickRecordingMime(() => false)).toBeUndefined();
  });
  it("titles recordings by their local start time", () => {
    const at = new Date(2026, 10, 29, 14, 2, 59);
    expect(recordingTitle(at)).toBe("Recording 2026-11-29 14:02");
    expect(recordingFileName(at, "video/webm;codecs=vp8,opus")).toBe("Recording 2026-11-29 14:02.webm");
    expect(recordingFileName(at, "video/mp4;codecs=avc1,opus")).toBe("Recording 2026-11-29 14:02.mp4");
  });
  it("sends live items, indexed recordings and recovered WebM recordings to the live player only", () => {
    const meta = { name: "r.webm", mime: "video/webm", size: 10 };
    expect(playsAsRecording({ live: true, meta })).toBe(true);
    expect(playsAsRecording({ meta })).toBe(false);
    expect(playsAsRecording({ meta: { ...meta, extra: { recordedLive: true, interrupted: true } } })).toBe(
      true,
    );
    expect(playsAsRecording({ meta: { ...meta, mime: "video/mp4", extra: { recordedLive: true } } })).toBe(
      false,
    );
    const mediaIndex = { kind: "webm-clusters", initEnd: 5, durationMs: 10, clusters: [[0, 5]] };
    expect(playsAsRecording({ meta: { ...meta, extra: { mediaIndex } } })).toBe(true);
    expect(playsAsRecording({ meta: { ...meta, extra: { mediaIndex: { kind: "other" } } } })).toBe(false);
  });
});
