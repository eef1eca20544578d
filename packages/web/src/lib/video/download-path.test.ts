import { describe, expect, it } from "vitest";
import { attachmentHeader, downloadPath, parseDownloadPath, parseMediaPath } from "./media-messages.js";

describe("streamed downloads' paths and headers", () => {
  it("a download path round-trips, and is never taken for a media path or the other way round", () => {
    const token = "AbCdEfGhIjKlMnOpQrStUv";
    expect(parseDownloadPath(downloadPath(token))).toBe(token);
    expect(parseMediaPath(downloadPath(token))).toBeNull();
    expect(parseDownloadPath(`/media/${token}/f_1`)).toBeNull();
    expect(parseDownloadPath("/download/short")).toBeNull();
    expect(parseDownloadPath(`/download/${token}/../x`)).toBeNull();
  });

  it("names the file as typed (RFC 6266 filename*) with an ASCII fallback that cannot break the header", () => {
    expect(attachmentHeader("umbra-3-items.zip")).toBe(
      `attachment; filename="umbra-3-items.zip"; filename*=UTF-8''umbra-3-items.zip`,
    );
    const header = attachmentHeader('Été "2024"\\(1).zip');
    expect(header).toContain(`filename="_t_ _2024__(1).zip"`);
    expect(header).toContain("filename*=UTF-8''%C3%89t%C3%A9%20%222024%22%5C%281%29.zip");
    expect(header).not.toMatch(/[\r\n]/);
  });
});
