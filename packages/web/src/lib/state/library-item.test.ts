import { describe, expect, it } from "vitest";
import { type FileRecord, mergeSorted, toLibraryItem } from "./library-item.js";

describe("mergeSorted", () => {
  it("merges two sorted lists into one sorted list, keeping every element", () => {
    const byNumber = (x: number, y: number) => x - y;
    expect(mergeSorted([1, 4, 4, 9], [0, 2, 4, 10, 11], byNumber)).toEqual([0, 1, 2, 4, 4, 4, 9, 10, 11]);
    expect(mergeSorted([], [3, 5], byNumber)).toEqual([3, 5]);
    expect(mergeSorted([3, 5], [], byNumber)).toEqual([3, 5]);
  });
});

describe("toLibraryItem", () => {
  const record = (trashedAt: string | null): FileRecord => ({
    id: "f_AAAAAAAAAAAAAAAAAAAAAA",
    albums: [{ albumId: "a_AAAAAAAAAAAAAAAAAAAAAA", wrappedFileKey: "k" }],
    encryptedMetadata: "m",
    contentSize: 10,
    thumbnails: { grid: 1, preview: 1 },
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-02-01T00:00:00.000Z",
    trashedAt,
    seq: 1,
  });
  const metadata = { name: "a.jpg", mime: "image/jpeg", size: 10 };

  it("takes the trash state it is given (the devices' word), not the server's trashedAt", () => {
    // The server says trashed, the user's devices never trashed it: shown in the timeline.
    expect(
      toLibraryItem(record("2024-03-01T00:00:00.000Z"), metadata, undefined, false).trashedAt,
    ).toBeNull();
    // The server says restored, the user's devices trashed it: stays in the trash, dated by the record's change.
    expect(toLibraryItem(record(null), metadata, undefined, true).trashedAt).toBe("2024-02-01T00:00:00.000Z");
    expect(toLibraryItem(record("2024-03-01T00:00:00.000Z"), metadata, undefined, true).trashedAt).toBe(
      "2024-03-01T00:00:00.000Z",
    );
  });
});
