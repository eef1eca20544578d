import { describe, expect, it } from "vitest";
import { type FileRecord, toLibraryItem } from "../state/library-item.js";
import { playsAsRecording } from "./recording-kind.js";

describe("a live record in the library", () => {
  const record = (live: boolean): FileRecord => ({
    id: "f_AAAAAAAAAAAAAAAAAAAAAA",
    albums: [{ albumId: "a_AAAAAAAAAAAAAAAAAAAAAA", wrappedFileKey: "k" }],
    encryptedMetadata: "m",
    contentSize: 47,
    thumbnails: { grid: 0, preview: 0 },
    createdAt: "2026-11-29T14:00:00.000Z",
    updatedAt: "2026-11-29T14:00:00.000Z",
    trashedAt: null,
    seq: 1,
    ...(live && { live: true as const }),
  });
  const metadata = { name: "Recording 2026-11-29 14:00.webm", mime: "video/webm", size: 0 };

  it("is shown LIVE and played by the live player while the server lists it live, and only then", () => {
    const live = toLibraryItem(record(true), metadata, undefined, false);
    expect(live.live).toBe(true);
    expect(playsAsRecording(live)).toBe(true);
    const finished = toLibraryItem(record(false), metadata, undefined, false);
    expect(finished.live).toBeUndefined();
    expect(playsAsRecording(finished)).toBe(false);
  });
});
