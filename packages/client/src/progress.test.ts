import { describe, expect, it } from "vitest";
import { backoffDelay, retryAfterMs } from "./backoff.js";
import { ProgressTracker } from "./progress.js";

describe("ProgressTracker", () => {
  it("counts bytes once, files, skipped files, and estimates rate and ETA", () => {
    let now = 0;
    const tracker = new ProgressTracker(() => now);
    tracker.addFiles(2, 1000);
    tracker.startFile("a", "a.jpg", 600);
    now = 1000;
    tracker.fileProgress("a", 300);
    tracker.fileProgress("a", 200); // out of order: never counted backwards
    let s = tracker.snapshot();
    expect(s.bytesDone).toBe(300);
    expect(s.rate).toBeCloseTo(300);
    expect(s.etaSeconds).toBeCloseTo(700 / 300);
    expect(s.current).toEqual([{ name: "a.jpg", bytesDone: 300, bytesTotal: 600 }]);
    tracker.finishFile("a");
    tracker.startFile("b", "b.jpg", 400);
    tracker.finishFile("b", true);
    s = tracker.snapshot();
    expect(s).toMatchObject({ bytesDone: 1000, filesDone: 2, filesSkipped: 1, current: [] });
  });

  it("drops a failed file's remaining bytes from the total", () => {
    const tracker = new ProgressTracker(() => 0);
    tracker.addFiles(1, 500);
    tracker.startFile("x", "x", 500);
    tracker.fileProgress("x", 100);
    tracker.failFile("x");
    expect(tracker.snapshot().bytesTotal).toBe(100);
  });
});

describe("backoff", () => {
  it("grows exponentially up to the cap, never zero", () => {
    const options = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, options, () => 0)).toBe(50);
    expect(backoffDelay(2, options, () => 1)).toBe(400);
    expect(backoffDelay(10, options, () => 1)).toBe(1000);
  });

  it("parses Retry-After seconds and dates", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
