import { describe, expect, it } from "vitest";
import { ORIGINAL_MAX_BYTES, zoomShowsOriginal } from "./original.js";

describe("zoomShowsOriginal", () => {
  it("swaps in originals an <img> can show, not HEIC, RAW, videos or huge files", () => {
    expect(zoomShowsOriginal({ mime: "image/jpeg", size: 5_000_000 })).toBe(true);
    expect(zoomShowsOriginal({ mime: "image/PNG", size: 1 })).toBe(true);
    expect(zoomShowsOriginal({ mime: "image/heic", size: 1 })).toBe(false);
    expect(zoomShowsOriginal({ mime: "image/x-canon-cr2", size: 1 })).toBe(false);
    expect(zoomShowsOriginal({ mime: "video/mp4", size: 1 })).toBe(false);
    expect(zoomShowsOriginal({ mime: "image/jpeg", size: ORIGINAL_MAX_BYTES + 1 })).toBe(false);
  });
});
