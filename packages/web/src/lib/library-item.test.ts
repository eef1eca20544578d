import { describe, expect, it } from "vitest";
import { mergeSorted } from "./library-item.js";

describe("mergeSorted", () => {
  it("merges two sorted lists into one sorted list, keeping every element", () => {
    const byNumber = (x: number, y: number) => x - y;
    expect(mergeSorted([1, 4, 4, 9], [0, 2, 4, 10, 11], byNumber)).toEqual([0, 1, 2, 4, 4, 4, 9, 10, 11]);
    expect(mergeSorted([], [3, 5], byNumber)).toEqual([3, 5]);
    expect(mergeSorted([3, 5], [], byNumber)).toEqual([3, 5]);
  });
});
