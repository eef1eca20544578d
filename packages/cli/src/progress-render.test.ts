import { describe, expect, it } from "vitest";
import { formatBytes, renderProgress } from "./progress-render.js";

describe("progress rendering", () => {
  it("formats sizes in binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GiB");
  });

  it("draws a total bar and one bar per file in flight, within the terminal width", () => {
    const lines = renderProgress(
      {
        bytesDone: 50,
        bytesTotal: 100,
        filesDone: 1,
        filesTotal: 3,
        filesSkipped: 0,
        rate: 2048,
        etaSeconds: 65,
        current: [
          { name: "a-very-long-file-name-that-needs-cutting-down.jpg", bytesDone: 5, bytesTotal: 10 },
        ],
      },
      100,
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^total \[#+-+\]\s+50% 1\/3 files 2\.0 KiB\/s ETA 1:05$/);
    expect(lines[1]).toMatch(/….*cutting-down\.jpg \[#+-+\]\s+50%/);
    for (const line of lines) expect(line.length).toBeLessThan(100);
  });
});
