import { describe, expect, it } from "vitest";
import { jpegDataUrl } from "./data-url.js";

const decoded = (url: string) => new Uint8Array(Buffer.from(url.slice(url.indexOf(",") + 1), "base64"));

describe("jpegDataUrl", () => {
  it("holds every byte, past the chunk size and at its edges", () => {
    for (const length of [0, 1, 2, 3, 0x7fff, 0x8000, 0x8001, 100_000]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 131 + 7) & 0xff);
      const url = jpegDataUrl(bytes);
      expect(url.startsWith("data:image/jpeg;base64,")).toBe(true);
      expect(decoded(url)).toEqual(bytes);
    }
  });
});
