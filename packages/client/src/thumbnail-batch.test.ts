import { THUMBNAIL_BATCH_ABSENT } from "@umbra/protocol";
import { describe, expect, it } from "vitest";
import { InvalidResponseError } from "./errors.js";
import { BATCH_ABSENT_LENGTH, parseThumbnailBatch } from "./thumbnail-batch.js";

function frame(bytes: number[] | null): number[] {
  const length = bytes === null ? BATCH_ABSENT_LENGTH : bytes.length;
  return [length >>> 24, (length >>> 16) & 255, (length >>> 8) & 255, length & 255, ...(bytes ?? [])];
}

describe("parseThumbnailBatch", () => {
  it("reads each thumbnail in order, null where absent", () => {
    const body = new Uint8Array([...frame([1, 2, 3]), ...frame(null), ...frame([]), ...frame([9])]);
    expect(parseThumbnailBatch(body, 4)).toEqual([
      new Uint8Array([1, 2, 3]),
      null,
      new Uint8Array([]),
      new Uint8Array([9]),
    ]);
    expect(BATCH_ABSENT_LENGTH).toBe(THUMBNAIL_BATCH_ABSENT);
  });

  it("refuses an answer with fewer thumbnails, one cut short, or bytes left over", () => {
    const two = [...frame([1]), ...frame([2, 3])];
    expect(() => parseThumbnailBatch(new Uint8Array(two), 3)).toThrow(InvalidResponseError);
    expect(() => parseThumbnailBatch(new Uint8Array(two.slice(0, -1)), 2)).toThrow(/cut short/);
    expect(() => parseThumbnailBatch(new Uint8Array([...two, 0]), 2)).toThrow(/after its last/);
    expect(() => parseThumbnailBatch(new Uint8Array(two), 1)).toThrow(/after its last/);
  });
});
